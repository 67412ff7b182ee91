package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running instance moved on a server with a preemption notice window (docs/migrate.md), end to end: a real server
 * on a clock the test moves, two real agents in their own JVMs, process instances and the system's {@code ssh}. Asked
 * to move, the instance keeps running and its job reads the notice file a preempted bid gets (why: moving to another
 * machine; when: the stop time) over ssh, and can still save its work; once the test's clock passes the stop time it
 * is stopped, copied and started on the other machine, where the saved work reads back and the notice is not there.
 */
class MigrateNoticeEndToEndTest {
    static final Duration NOTICE = Duration.ofMinutes(2);

    @TempDir
    static Path dir;

    static final FakeClock clock = new FakeClock();
    static TestServer server;
    static TestServer.Account renter;
    static Ssh ssh;
    static final List<AgentProcess> agents = new ArrayList<>();
    static final List<Long> machines = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.builder()
                .clock(clock)
                .agentTimings(BidsEndToEndTest.SLOW_BEATS)
                .preemptNotice(NOTICE)
                .start();
        renter = server.newRenter(1000);
        ssh = Ssh.newIdentity(Files.createDirectories(dir.resolve("keys")));
        assertThat(Http.post(server.api() + "/ssh/", renter.key(), "{\"ssh_key\": \"" + ssh.publicKey() + "\"}")
                        .status())
                .isEqualTo(200);
        TestServer.Account host = server.newUser();
        for (String place : List.of("Oslo, NO", "Lima, PE")) {
            int ports = AgentProcess.freePortBlock(20);
            var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 1, place, ports));
            Http.put(
                    server.api() + "/machines/create_asks/",
                    host.key(),
                    "{\"machine\": " + registered.machineId() + ", \"price_gpu\": 0.3, \"min_bid\": 0.1}");
            machines.add(registered.machineId());
            agents.add(new AgentProcess(
                            server.url(),
                            registered.machineToken(),
                            dir.resolve("agent-" + machines.size()),
                            "1x RTX 4090",
                            ports,
                            ports + 19)
                    .start());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (JsonNode i :
                Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
            Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
        }
        for (int n = 0; n < agents.size(); n++) {
            agents.get(n).close();
            try (ProcessLauncher leftovers =
                    new ProcessLauncher(dir.resolve("agent-" + (n + 1)).resolve("instances"))) {
                leftovers.known().forEach(leftovers::destroy);
            }
        }
        server.close();
    }

    static long offerOn(long machine) {
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        return Http.post(server.api() + "/bundles/", renter.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
    }

    static JsonNode instance(long id) {
        return Http.get(server.api() + "/instances/" + id + "/", renter.key())
                .json()
                .get("instances");
    }

    static int awaitRunningOn(long id, long machine) {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            JsonNode i = instance(id);
            assertThat(i.path("machine_id").asLong()).as(i.toString()).isEqualTo(machine);
            assertThat(i.path("actual_status").asText()).as(i.toString()).isEqualTo("running");
        });
        return instance(id).get("ssh_port").asInt();
    }

    @Test
    void the_job_inside_reads_the_notice_saves_its_work_and_finds_it_on_the_other_machine_after_the_stop_time()
            throws Exception {
        var created = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": \"true\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long x = created.json().get("new_contract").asLong();
        int door = awaitRunningOn(x, machines.get(0));

        Instant stopAt = clock.instant().plus(NOTICE);
        Moves.moveTo(server.api(), renter.key(), x, offerOn(machines.get(1)));

        // inside the running instance: the same notice file as a preempted bid's, saying why and when
        String expected = "moving to another machine (machine " + machines.get(1) + "); stopping at " + stopAt + " ("
                + stopAt.getEpochSecond() + ")";
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(ssh.exec("127.0.0.1", door, "cat " + DesiredInstance.NOTICE_FILE)
                                .output()
                                .strip())
                        .isEqualTo(expected));
        JsonNode shown = instance(x);
        assertThat(shown.get("actual_status").asText()).isEqualTo("running");
        assertThat(shown.get("machine_id").asLong()).isEqualTo(machines.get(0));
        assertThat(shown.get("preempt_notice_until").asLong()).isEqualTo(stopAt.getEpochSecond());
        // the job saves its work while the notice runs
        var saved =
                ssh.exec("127.0.0.1", door, "mkdir -p /workspace && echo 'checkpoint at notice' > /workspace/ckpt.txt");
        assertThat(saved.exitCode()).as(saved.output()).isZero();
        assertThat(Moves.latest(server.api(), renter.key(), x).get("state").asText())
                .isEqualTo("reserved");

        // the stop time passes: stopped, copied, started on the other machine under the same id
        clock.set(stopAt);
        Moves.awaitDone(server.api(), renter.key(), x, Duration.ofSeconds(180));
        int newDoor = awaitRunningOn(x, machines.get(1));
        var read = ssh.exec(
                "127.0.0.1",
                newDoor,
                "cat /workspace/ckpt.txt && test ! -e " + DesiredInstance.NOTICE_FILE + " && echo no-notice");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).contains("checkpoint at notice", "no-notice");
        assertThat(instance(x).get("preempt_notice_until").isNull()).isTrue();
        Path oldDisk = dir.resolve("agent-1").resolve("instances").resolve(Long.toString(x));
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(oldDisk));
    }
}
