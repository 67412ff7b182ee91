package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * execute end to end ({@code PUT /instances/command/{id}/}, vastai's {@code execute}): a real server, a real agent in
 * its own JVM, process instances and the stock ssh client. ls lists and rm removes the instance's files, as the
 * instance sees them; other commands are refused with Vast's error; the result is fetched from the result URL
 * without a key; the audit log shows the calls.
 */
class ExecuteTest {
    @TempDir
    static Path dir;

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = new LiveMarket(TestServer.start(), dir);
    }

    @AfterAll
    static void stop() throws Exception {
        market.close();
    }

    static Http.Response execute(long id, String command) {
        return Http.put(
                market.server.api() + "/instances/command/" + id + "/",
                market.renter.key(),
                "{\"command\": \"" + command + "\"}");
    }

    /** What the result URL answers once the agent has uploaded it (polled as vastai polls it, without a key). */
    static String result(Http.Response answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("success").asBoolean()).isTrue();
        String url = answer.json().get("result_url").asText();
        AtomicReference<String> text = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            var r = Http.get(url, null);
            if (r.status() != 200) return false;
            text.set(r.body());
            return true;
        });
        return text.get();
    }

    @Test
    void ls_lists_and_rm_removes_the_instances_files_and_the_audit_log_shows_the_calls() {
        long id = market.rent("true");
        int port = market.awaitRunning(id);
        assertThat(market.exec(
                                port,
                                "mkdir -p /root/data && echo x > /root/data/delete_me.txt && echo y > /root/keep.txt")
                        .exitCode())
                .isZero();

        assertThat(result(execute(id, "ls -la /root/data"))).contains("delete_me.txt");
        assertThat(result(execute(id, "du -d1 -h /root"))).contains("/root/data");
        result(execute(id, "rm -r /root/data/delete_me.txt"));
        assertThat(market.exec(port, "ls /root/data").output()).doesNotContain("delete_me.txt");
        assertThat(result(execute(id, "ls /root"))).contains("keep.txt");

        var log = Http.get(market.server.api() + "/audit_logs/", market.renter.key())
                .json();
        long executes = 0;
        for (var e : log)
            if (e.get("api_route").asText().equals("/api/v0/instances/command/{id}/")
                    && e.get("args").get("id").asText().equals(Long.toString(id))) executes++;
        assertThat(executes).isEqualTo(4);
    }

    @Test
    void execute_reaches_a_stopped_instances_files_without_starting_it() {
        long id = market.rent("echo started >> /root/starts");
        int port = market.awaitRunning(id);
        assertThat(market.exec(port, "mkdir -p /root/old && echo x > /root/old/gone.txt")
                        .exitCode())
                .isZero();
        var stop = Http.put(
                market.server.api() + "/instances/" + id + "/", market.renter.key(), "{\"state\": \"stopped\"}");
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        market.awaitStatus(id, "stopped", Duration.ofSeconds(60));

        assertThat(result(execute(id, "ls /root/old"))).contains("gone.txt");
        result(execute(id, "rm -r /root/old"));
        assertThat(result(execute(id, "ls /root"))).doesNotContain("old").contains("starts");
        assertThat(market.instance(id).path("actual_status").asText()).isEqualTo("stopped");
    }

    @Test
    void commands_other_than_ls_rm_and_du_and_shell_tricks_are_refused_with_vasts_error() {
        long id = market.rent("true");
        for (String refused : new String[] {
            "cat /etc/passwd", "ls; rm -rf /root", "ls $(id)", "ls | sh", "rm", "ls --color=always", "du -L /"
        }) {
            var r = execute(id, refused);
            assertThat(r.status()).as(refused + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
        }
    }
}
