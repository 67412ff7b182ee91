package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.server.AgentTimings;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What renters see while a host is silent, with a real agent and short heartbeats. */
class HostSilenceTest {
    @TempDir
    Path dir;

    @Test
    void instances_of_a_silent_host_turn_unknown_then_offline_and_come_back_running_with_the_agent() throws Exception {
        var timings = new AgentTimings(Duration.ofSeconds(1), 2, Duration.ofSeconds(5), Duration.ofSeconds(3));
        try (LiveMarket market = new LiveMarket(TestServer.start(Clock.systemUTC(), timings), dir)) {
            long id = market.rent("echo up >> /root/starts");
            int port = market.awaitRunning(id);

            market.agent.kill();
            market.awaitStatus(id, "unknown", Duration.ofSeconds(20));
            market.awaitStatus(id, "offline", Duration.ofSeconds(20));

            market.agent.start();
            market.awaitStatus(id, "running", Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(market.exec(port, "wc -l < /root/starts")
                                    .output()
                                    .trim())
                            .as("the instance ran on while its agent was gone: started once")
                            .isEqualTo("1"));
        }
    }
}
