package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import java.nio.file.Files;
import java.time.Duration;

/**
 * A volume's life with a real agent and ssh (docs/volumes.md), the same for both launchers: an instance created with
 * a new volume writes a file; the instance is destroyed; a second instance linking the volume reads the file back;
 * the volume's size holds; deleting it while attached is refused; deleting it after wipes its storage on the host.
 */
final class VolumeJourney {
    private VolumeJourney() {}

    static void run(LiveMarket market, boolean sizeEnforced) {
        var listed = Http.post(
                market.server.api() + "/volumes/",
                market.host.key(),
                "{\"size\": 50, \"machine\": " + market.machine + ", \"price_disk\": 0.2}");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        long offer = Http.post(
                        market.server.api() + "/volumes/search/",
                        market.renter.key(),
                        "{\"machine_id\": {\"eq\": " + market.machine + "}}")
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();

        long first = market.rent(
                "true",
                "{}",
                ", \"volume_info\": {\"create_new\": true, \"volume_id\": " + offer
                        + ", \"size\": 1, \"mount_path\": \"/data\", \"name\": \"ckpt\"}");
        long volume = Http.get(market.server.api() + "/volumes/?owner=me", market.renter.key())
                .json()
                .get("volumes")
                .get(0)
                .get("id")
                .asLong();
        int port = awaitRunning(market, first);
        Ssh.Result wrote = market.exec(port, "echo checkpoint-42 > /data/model.txt && sync && cat /data/model.txt");
        assertThat(wrote.output()).as(wrote.output()).isEqualTo("checkpoint-42\n");
        if (sizeEnforced) {
            Ssh.Result filled = market.exec(
                    port,
                    "dd if=/dev/zero of=/data/fill bs=1M count=1500 2>&1; echo \"dd ended with $?\"; rm -f /data/fill");
            assertThat(filled.output()).contains("No space left on device").contains("dd ended with 1");
        }

        var refused = Http.delete(market.server.api() + "/volumes/?id=" + volume, market.renter.key(), null);
        assertThat(refused.status()).as(refused.body()).isEqualTo(409);
        destroy(market, first);

        long second = market.rent(
                "true",
                "{}",
                ", \"volume_info\": {\"create_new\": false, \"volume_id\": " + volume
                        + ", \"mount_path\": \"/root/keep\"}");
        int port2 = awaitRunning(market, second);
        assertThat(market.exec(port2, "cat /root/keep/model.txt").output()).isEqualTo("checkpoint-42\n");
        destroy(market, second);

        var deleted = Http.delete(market.server.api() + "/volumes/?id=" + volume, market.renter.key(), null);
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !Files.exists(market.agentState.resolve("volumes").resolve(Long.toString(volume))));
    }

    /** As {@link LiveMarket#awaitRunning}, failing with the instance's status message (why it did not start). */
    private static int awaitRunning(LiveMarket market, long id) {
        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(
                                market.instance(id).path("actual_status").asText())
                        .as(market.instance(id).path("status_msg").asText())
                        .isEqualTo("running"));
        return market.instance(id).get("ssh_port").asInt();
    }

    private static void destroy(LiveMarket market, long id) {
        assertThat(Http.call("DELETE", market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}")
                        .status())
                .isEqualTo(200);
    }
}
