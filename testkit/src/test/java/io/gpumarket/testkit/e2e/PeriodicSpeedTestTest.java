package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real agent repeats its network speed test (not only at start, as Vast's hosts re-test daily) and reports each
 * measurement by describing its machine again through the route it registered with; the figures reach its offers.
 */
class PeriodicSpeedTestTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @TempDir
    static Path dir;

    @Test
    void an_agent_started_with_a_short_interval_tests_and_reports_again_and_again() throws Exception {
        TestServer.Account host = server.newUser();
        int ports = AgentProcess.freePortBlock(10);
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 1, "Oslo, NO", ports));
        Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + registered.machineId() + ", \"price_gpu\": 0.3}");

        try (AgentProcess agent = new AgentProcess(
                        server.url(),
                        registered.machineToken(),
                        dir.resolve("agent"),
                        "1x RTX 4090",
                        ports,
                        ports + 9,
                        List.of("--speed-test-interval", "1s", "--allow-weak-isolation"))
                .start()) {
            // the test at start, then at least two more rounds, each measuring (GET + PUT) and describing the machine
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(requests("GET", "/api/v0/agent/speedtest")).isGreaterThanOrEqualTo(3);
                assertThat(requests("PUT", "/api/v0/agent/speedtest")).isGreaterThanOrEqualTo(3);
                assertThat(requests("PUT", "/api/v0/agent/machine")).isGreaterThanOrEqualTo(3);
            });
        }
    }

    /** How many requests the server answered 200 on this route, from its own request counter (GET /metrics). */
    static long requests(String method, String route) {
        String text = Http.get(server.url() + "/metrics", null).body();
        Matcher m = Pattern.compile("http_server_requests_seconds_count\\{([^}]*)} ([0-9.E]+)")
                .matcher(text);
        long n = 0;
        while (m.find()) {
            String labels = m.group(1);
            if (labels.contains("method=\"" + method + "\"")
                    && labels.contains("route=\"" + route) // with or without its trailing slash
                    && labels.contains("status=\"200\"")) n += (long) Double.parseDouble(m.group(2));
        }
        return n;
    }
}
