package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A renter's instance is an adversary of its neighbours: with a real agent and real processes, a memory hog, a
 * process flood and a disk filler each stop at their own instance's limits, while a neighbour on the same machine
 * answers over SSH and the agent keeps reporting. The machine has 16 GPUs, so one GPU's share of this host is a
 * sixteenth of its RAM and CPU and 1024 processes.
 */
class ResourceLimitsTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = server.closesWith(new LiveMarket(server, dir, 1000, 16, "\"price_gpu\": 0.3"));
    }

    @Test
    void a_memory_hog_is_killed_at_its_limit_while_the_neighbour_and_the_agent_stay_responsive() throws Exception {
        long hog = market.rent("true");
        long neighbour = market.rent("true");
        int hogPort = market.awaitRunning(hog);
        int neighbourPort = market.awaitRunning(neighbour);

        // 64 MB more every step, its pages made present at once (MAP_POPULATE: the cheapest way to really use memory
        // under a small CPU quota), until something stops it
        CompletableFuture<Ssh.Result> eating = CompletableFuture.supplyAsync(() -> market.exec(
                hogPort,
                "python3 -c 'import mmap\n"
                        + "hog = []\nwhile True: hog.append(mmap.mmap(-1, 64 << 20, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | mmap.MAP_POPULATE))'; "
                        + "echo \"hog ended with $?\""));
        assertThat(market.exec(neighbourPort, "echo alive").output()).isEqualTo("alive\n");
        Ssh.Result eaten = eating.get();

        assertThat(eaten.output()).contains("hog ended with 137");
        assertThat(market.exec(neighbourPort, "echo alive").output()).isEqualTo("alive\n");
        assertThat(market.exec(hogPort, "echo still here").output())
                .as("only the hog died, not the instance")
                .isEqualTo("still here\n");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(market.instance(hog).get("status_msg").asText())
                                .contains("memory limit of")
                                .contains("reached: 1 process killed"));
        assertThat(market.instance(hog).get("actual_status").asText()).isEqualTo("running");
        destroy(hog, neighbour);
    }

    @Test
    void a_process_flood_is_stopped_at_the_pids_limit_while_the_neighbour_and_the_agent_stay_responsive()
            throws Exception {
        long flood = market.rent("true");
        long neighbour = market.rent("true");
        int floodPort = market.awaitRunning(flood);
        int neighbourPort = market.awaitRunning(neighbour);

        // Each subshell blocks opening a FIFO nobody writes: a fork bomb that holds its processes without spinning
        // (and without the session's output, so the session can end). dash gives up at the first fork refused.
        Ssh.Result flooded = market.exec(
                floodPort,
                "mkfifo /tmp/never; "
                        + "sh -c 'while :; do (read x < /tmp/never) </dev/null >/dev/null 2>&1 & done' 2>&1; echo \"flood ended with $?\"");

        assertThat(flooded.output()).contains("Cannot fork").contains("flood ended with 2");
        assertThat(market.exec(neighbourPort, "echo alive").output()).isEqualTo("alive\n");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(
                                market.instance(flood).get("status_msg").asText())
                        .contains("process limit of 1024 reached"));
        assertThat(market.exec(neighbourPort, "echo alive").output()).isEqualTo("alive\n");
        destroy(flood, neighbour);
    }

    @Test
    void writing_past_the_rented_disk_fails_with_no_space_the_status_says_so_and_files_survive_stop_and_start()
            throws Exception {
        long id = rentWithDisk(1);
        int port = market.awaitRunning(id);
        assertThat(market.exec(port, "echo kept > /root/note").exitCode()).isZero();

        Ssh.Result filled =
                market.exec(port, "dd if=/dev/zero of=/workspace/fill bs=1M 2>&1; echo \"dd ended with $?\"");

        assertThat(filled.output()).contains("No space left on device").contains("dd ended with 1");
        assertThat(market.exec(port, "df -B1 --output=size /workspace | tail -1")
                        .output()
                        .trim())
                .as("the renter gets the whole rented GB")
                .satisfies(size -> assertThat(Long.parseLong(size)).isGreaterThanOrEqualTo(1_000_000_000L));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(market.instance(id).get("status_msg").asText())
                                .contains("disk full")
                                .contains("No space left on device"));

        assertThat(Http.put(
                                market.server.api() + "/instances/" + id + "/",
                                market.renter.key(),
                                "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        market.awaitStatus(id, "stopped", Duration.ofSeconds(60));
        assertThat(Http.put(
                                market.server.api() + "/instances/" + id + "/",
                                market.renter.key(),
                                "{\"state\": \"running\"}")
                        .status())
                .isEqualTo(200);
        int again = market.awaitRunning(id);
        assertThat(market.exec(again, "cat /root/note; rm /workspace/fill && echo freed")
                        .output())
                .isEqualTo("kept\nfreed\n");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(market.instance(id).get("status_msg").asText())
                                .doesNotContain("disk full"));
        destroy(id);
    }

    private static long rentWithDisk(double diskGb) {
        String q = "{\"machine_id\": {\"eq\": " + market.machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(market.server.api() + "/bundles/", market.renter.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
        var created = Http.put(
                market.server.api() + "/asks/" + offer + "/",
                market.renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": " + diskGb + ", \"runtype\": \"ssh_direct\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("new_contract").asLong();
    }

    private static void destroy(long... ids) {
        for (long id : ids)
            Http.call("DELETE", market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}");
    }
}
