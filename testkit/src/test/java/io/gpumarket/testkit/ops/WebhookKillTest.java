package io.gpumarket.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A {@code gpumarket server} process killed with SIGKILL while it waits for a receiver's answer loses no event: after a
 * restart on the same database every event is delivered (at least once; the receiver de-duplicates by event id).
 */
class WebhookKillTest {
    private static final List<String> FLAGS = List.of(
            "--meter-interval",
            "0",
            "--webhooks-allow-private",
            "--webhook-retry-first",
            "100ms",
            "--webhook-retry-max",
            "500ms");

    @Test
    void a_server_killed_mid_delivery_delivers_every_event_after_it_restarts() throws Exception {
        Path home = Files.createTempDirectory("gpumarket-kill");
        Set<String> expected = new HashSet<>();
        try (WebhookReceiver receiver = WebhookReceiver.start()) {
            receiver.hold();
            ServerProcess server = ServerProcess.start(home, FLAGS);
            String renter;
            try {
                GpuMarketClient admin = new GpuMarketClient(server.url(), server.adminKey());
                String host = (String)
                        admin.adminCreateUser("host@test.local", null, false).get("api_key");
                renter = (String)
                        admin.adminCreateUser("renter@test.local", null, false).get("api_key");
                long renterId = Http.get(server.url() + "/api/v0/users/current/", renter)
                        .json()
                        .get("id")
                        .asLong();
                admin.adminAddCredit(renterId, 1000, "start", null);
                GpuMarketClient hostClient = new GpuMarketClient(server.url(), host);
                long machine = hostClient
                        .registerMachine(TestMachines.machine("RTX 4090", 4, "Oslo, NO", -1))
                        .machineId();
                hostClient.listMachine(
                        new ListMachineRequest(machine, 0.5, 0.15, 0.01, 0.01, null, 1, null, null, null));
                var made = Http.post(
                        server.url() + "/api/v0/webhooks/",
                        renter,
                        "{\"webhook_url\": \"" + receiver.url()
                                + "\", \"event_types\": [\"client:instance_created\"]}");
                assertThat(made.status()).as(made.body()).isEqualTo(200);
                for (int i = 0; i < 3; i++) {
                    var offers = Http.post(
                                    server.url() + "/api/v0/bundles/",
                                    renter,
                                    "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}")
                            .json()
                            .get("offers");
                    var r = Http.put(
                            server.url() + "/api/v0/asks/"
                                    + offers.get(0).get("id").asLong() + "/",
                            renter,
                            "{\"image\": \"busybox\", \"disk\": 10}");
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                }
                Http.get(server.url() + "/api/v0/events/", renter)
                        .json()
                        .get("events")
                        .forEach(e -> expected.add(e.get("event_id").asText()));
                assertThat(expected).hasSize(3);
                // the server is now waiting for the receiver's answer to its first delivery
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> !receiver.seen().isEmpty());
            } finally {
                server.kill();
            }
            assertThat(receiver.received()).isEmpty();
            receiver.release();

            try (ServerProcess again = ServerProcess.start(home, FLAGS)) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> received(receiver).containsAll(expected));
                assertThat(received(receiver)).isEqualTo(expected);
                assertThat(Http.get(again.url() + "/api/v0/events/", renter)
                                .json()
                                .get("events"))
                        .hasSize(3);
            }
        }
    }

    private static Set<String> received(WebhookReceiver receiver) {
        Set<String> ids = new HashSet<>();
        for (WebhookReceiver.Delivery d : receiver.received()) ids.add(d.header("X-Vast-Event-Id"));
        return ids;
    }
}
