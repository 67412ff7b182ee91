package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each state change the issue names leaves its event in the account's stream (both backends): a rent, the agent's
 * running and stopped reports, maintenance announced (to the host and the renter), credit running out, a machine gone
 * silent, a destroy.
 */
class NotificationEventsHttpTest {
    @Test
    void renters_and_hosts_are_told_of_what_happens_to_their_instances_and_machines() {
        FakeClock clock = new FakeClock();
        // beats every 10 minutes (offline after an hour), as the meter's own test; the delivery loop (which also
        // looks for silent machines) left to the test, so silences are judged only when the test asks
        try (TestServer server = TestServer.builder()
                .clock(clock)
                .agentTimings(MeterEndToEndHttpTest.SLOW_BEATS)
                .notify(io.gpumarket.server.notify.NotifyConfig.defaults()
                        .withDeliverEvery(Duration.ofHours(1))
                        .withSnapshots(Duration.ZERO, Duration.ofDays(1)))
                .start()) {
            var host = server.newUser();
            var renter = server.newRenter(0.50);
            TestServer.Hosted m =
                    server.hostMachine(host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", 41000), 0.389, Map.of());
            TestAgent agent = server.agent(m);
            long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 20}")
                    .id();
            agent.report(id, "running");
            var maint = Http.put(
                    server.api() + "/machines/" + m.id() + "/dnotify/",
                    host.key(),
                    "{\"client_id\": \"me\", \"sdate\": " + (clock.instant().getEpochSecond() + 7200)
                            + ", \"duration\": 1.5, \"maintenance_category\": \"power\"}");
            assertThat(maint.status()).as(maint.body()).isEqualTo(200);
            int stopped = 0;
            for (int minute = 10; minute <= 240 && stopped == 0; minute += 10) {
                clock.advance(Duration.ofMinutes(10));
                agent.sync();
                stopped = server.tick().stopped();
            }
            assertThat(stopped).as("the credit ran out").isEqualTo(1);
            agent.report(id, "stopped");
            Http.delete(server.api() + "/instances/" + id + "/", renter.key(), "{}");

            // the machine falls silent past the offline threshold: its host is told once
            clock.advance(Duration.ofHours(2));
            server.tick(); // flushes the heartbeats held in memory first
            server.app().webhooks().watchOffline();
            server.app().webhooks().watchOffline();

            assertThat(types(server, renter.key()))
                    .containsExactly(
                            "client:instance_created",
                            "client:instance_started",
                            "client:upcoming_downtime",
                            "client:low_credit",
                            "client:instance_stopped",
                            "client:instance_destroyed");
            assertThat(types(server, host.key())).containsExactly("host:maintenance_scheduled", "host:machine_offline");
        }
    }

    private static List<String> types(TestServer server, String key) {
        List<String> out = new ArrayList<>();
        JsonNode events = Http.get(server.api() + "/events/", key).json().get("events");
        events.forEach(e -> out.add(e.get("notif_type").asText()));
        return out;
    }
}
