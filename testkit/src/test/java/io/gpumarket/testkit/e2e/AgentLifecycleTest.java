package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A real server, a real agent in its own JVM, real processes and the stock ssh client. */
class AgentLifecycleTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = server.closesWith(new LiveMarket(server, dir));
    }

    @Test
    void an_agent_killed_with_sigkill_recovers_its_instance_without_restarting_it() throws Exception {
        long id = market.rent("echo started >> /root/starts");
        int port = market.awaitRunning(id);
        assertThat(market.exec(port, "wc -l < /root/starts").output().trim()).isEqualTo("1");

        market.agent.kill();
        market.agent.start();

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(market.exec(port, "wc -l < /root/starts")
                                .output()
                                .trim())
                        .isEqualTo("1"));
        assertThat(market.instance(id).get("actual_status").asText()).isEqualTo("running");
    }

    @Test
    void an_ssh_port_taken_while_the_agent_was_away_is_retried_until_it_is_free_and_says_so_meanwhile()
            throws Exception {
        long id = market.rent("true");
        int port = market.awaitRunning(id);

        market.agent.kill();
        try (var squatter = new java.net.ServerSocket()) {
            squatter.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            market.agent.start();
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(
                                    market.instance(id).get("status_msg").asText())
                            .contains("SSH port " + port + " could not be opened")
                            .contains("retrying"));
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() ->
                        assertThat(market.exec(port, "echo back").output()).isEqualTo("back\n"));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(market.instance(id).get("status_msg").asText())
                                .doesNotContain("could not be opened"));
    }

    @Test
    void a_published_port_reaches_the_instances_service_through_its_host_port() throws Exception {
        long id = market.rent(
                "echo published > /root/index.html; cd /root && nohup /usr/bin/python3 -m http.server 8080 "
                        + "--bind 127.0.0.1 >/dev/null 2>&1 &",
                "{\"-p 8080:8080\": \"1\"}");
        market.awaitRunning(id);
        var instance = market.instance(id);
        int hostPort = Integer.parseInt(
                instance.get("ports").get("8080/tcp").get(0).get("HostPort").asText());
        assertThat(hostPort).isNotEqualTo(8080);
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + hostPort + "/index.html"))
                .build();
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                                .body()
                                .trim())
                        .isEqualTo("published"));
        assertThat(market.exec(instance.get("ssh_port").asInt(), "echo $VAST_TCP_PORT_8080")
                        .output()
                        .trim())
                .isEqualTo(Integer.toString(hostPort));
    }

    @Test
    void request_logs_serves_the_instances_output_filtered_and_tailed_at_the_result_url() throws Exception {
        long id =
                market.rent("for i in 1 2 3 4 5; do echo \"line $i keep\"; echo \"noise $i\"; done; touch /root/done");
        int port = market.awaitRunning(id);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> market.exec(port, "test -f /root/done").exitCode() == 0);
        var asked = Http.put(
                market.server.api() + "/instances/request_logs/" + id + "/",
                market.renter.key(),
                "{\"tail\": \"2\", \"filter\": \"keep\"}");
        String url = asked.json().get("result_url").asText();
        // As the vastai CLI polls the result_url: up to 30 times, 0.3 s apart.
        await().atMost(Duration.ofSeconds(9))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    var log = Http.get(url, null);
                    assertThat(log.status()).isEqualTo(200);
                    assertThat(log.body()).isEqualTo("line 4 keep\nline 5 keep\n");
                });
    }

    @Test
    void two_instances_see_neither_the_others_files_nor_its_processes() {
        long a = market.rent("echo secret-a > /root/mine.txt; sleep 4242 &");
        long b = market.rent("echo secret-b > /root/mine.txt");
        int portA = market.awaitRunning(a);
        int portB = market.awaitRunning(b);
        // [4]242: the pattern must not match the shell that runs pgrep.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(market.exec(portA, "pgrep -f 'sleep [4]242' >/dev/null && echo yes")
                                .output()
                                .trim())
                        .isEqualTo("yes"));

        assertThat(market.exec(portB, "cat /root/mine.txt").output().trim()).isEqualTo("secret-b");
        assertThat(market.exec(portA, "cat /root/mine.txt").output().trim()).isEqualTo("secret-a");
        assertThat(market.exec(portB, "grep -rs secret-a /root /workspace /tmp; echo end")
                        .output()
                        .trim())
                .isEqualTo("end");
        assertThat(market.exec(portB, "pgrep -f 'sleep [4]242' || echo none")
                        .output()
                        .trim())
                .isEqualTo("none");
    }
}
