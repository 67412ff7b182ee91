package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.PromText;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both metrics endpoints with the real agent (its own JVM, the process launcher, real ssh) started with
 * {@code --metrics-listen}: the server's market and money after a rent and a tick on a clock the test moves, and the
 * agent's instances, launcher operations and the bytes its SSH door relayed.
 */
class MetricsEndToEndTest {
    static final Instant T0 = FakeClock.DEFAULT_START;

    @TempDir
    Path dir;

    final FakeClock clock = new FakeClock();

    @Test
    void a_rent_a_tick_and_an_ssh_copy_show_on_the_servers_and_the_agents_metrics() throws Exception {
        clock.set(T0);
        int metricsPort = AgentProcess.freePortBlock(1);
        String agentMetrics = "http://127.0.0.1:" + metricsPort + "/metrics";
        try (LiveMarket market = new LiveMarket(
                TestServer.start(clock, BillingWithAgentTest.PATIENT),
                dir,
                1000,
                8,
                "\"price_gpu\": 0.3",
                null,
                List.of("--metrics-listen", "127.0.0.1:" + metricsPort),
                List.of())) {
            String serverMetrics = market.server.url() + "/metrics";
            long id = market.rent("true");
            int port = market.awaitRunning(id); // the agent binds its metrics before it describes its machine
            PromText server = PromText.scrape(serverMetrics);
            assertThat(server.value("gpumarket_gpus", "model", "RTX 4090", "state", "rented"))
                    .isEqualTo(1);
            assertThat(server.value("gpumarket_gpus", "model", "RTX 4090", "state", "idle"))
                    .isEqualTo(7);
            assertThat(server.value("gpumarket_instances", "actual_status", "running"))
                    .isEqualTo(1);
            assertThat(server.value("gpumarket_agent_syncs_total")).isPositive();

            PromText agent = PromText.scrape(agentMetrics);
            assertThat(agent.value("gpumarket_agent_instances", "actual_status", "running"))
                    .isEqualTo(1);
            assertThat(agent.value("gpumarket_agent_launcher_operations_total", "operation", "start", "outcome", "ok"))
                    .isEqualTo(1);

            // 100,000 bytes out of the instance through the SSH door, nothing in
            assertThat(market.exec(port, "head -c 100000 /dev/zero | wc -c").output())
                    .isEqualTo("100000\n");
            assertThat(market.exec(port, "head -c 100000 /dev/zero").exitCode()).isZero();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> PromText.scrape(agentMetrics).value("gpumarket_agent_ssh_sessions_open") == 0);
            PromText afterCopy = PromText.scrape(agentMetrics);
            assertThat(afterCopy.value("gpumarket_agent_ssh_relayed_bytes_total", "direction", "out")
                            - agent.value("gpumarket_agent_ssh_relayed_bytes_total", "direction", "out"))
                    .as("\"100000\\n\" and then the 100,000 bytes themselves")
                    .isEqualTo(7 + 100_000);
            assertThat(afterCopy.value(
                                    "gpumarket_agent_launcher_operations_total", "operation", "exec", "outcome", "ok")
                            - agent.value(
                                    "gpumarket_agent_launcher_operations_total", "operation", "exec", "outcome", "ok"))
                    .isEqualTo(2);

            double creditBefore = BillingWithAgentTest.credit(market);
            clock.set(T0.plus(Duration.ofMinutes(60)));
            market.server.tick();
            long charged = Math.round((creditBefore - BillingWithAgentTest.credit(market)) * 1e6);
            PromText ticked = PromText.scrape(serverMetrics);
            assertThat(charged).isPositive();
            assertThat(ticked.value("gpumarket_billing_charged_microdollars_total")
                            - server.value("gpumarket_billing_charged_microdollars_total"))
                    .isEqualTo((double) charged);
            assertThat(ticked.value("gpumarket_meter_tick_seconds_count", "outcome", "ok"))
                    .isEqualTo(1);

            assertThat(Http.delete(market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}")
                            .status())
                    .isEqualTo(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> PromText.scrape(agentMetrics)
                                    .value(
                                            "gpumarket_agent_launcher_operations_total",
                                            "operation",
                                            "destroy",
                                            "outcome",
                                            "ok")
                            == 1);
            assertThat(PromText.scrape(agentMetrics).sum("gpumarket_agent_instances"))
                    .isZero();
        }
    }
}
