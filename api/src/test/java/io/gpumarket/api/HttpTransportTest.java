package io.gpumarket.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one transport both clients use: what it sends, and how it reads a refusal. */
class HttpTransportTest {
    private HttpServer server;
    private final Map<String, String> seen = new ConcurrentHashMap<>();

    /** A server answering every request with {@code status}, {@code body} and the given headers. */
    private HttpTransport serverAnswering(int status, String body, String... headers) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            seen.put("method", exchange.getRequestMethod());
            seen.put("target", exchange.getRequestURI().toString());
            exchange.getRequestHeaders().forEach((k, v) -> seen.put(k.toLowerCase(), String.join(",", v)));
            seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            for (int i = 0; i < headers.length; i += 2)
                exchange.getResponseHeaders().add(headers[i], headers[i + 1]);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        return new HttpTransport(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/", "k3y", Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void a_call_carries_the_bearer_its_body_its_type_and_what_it_accepts() throws Exception {
        HttpTransport transport = serverAnswering(200, "{\"success\": true}");

        var answer = transport.exchange(ApiCall.of("PUT", "/api/v0/x/?a=1", Duration.ofSeconds(5))
                .withBody("{\"b\":2}".getBytes(StandardCharsets.UTF_8), "application/json")
                .acceptingJson()
                .withHeader("Idempotency-Key", "once"));

        assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"success\": true}");
        assertThat(seen)
                .containsEntry("method", "PUT")
                .containsEntry("target", "/api/v0/x/?a=1")
                .containsEntry("authorization", "Bearer k3y")
                .containsEntry("content-type", "application/json")
                .containsEntry("accept", "application/json")
                .containsEntry("idempotency-key", "once")
                .containsEntry("body", "{\"b\":2}");
    }

    @Test
    void a_call_without_a_body_sends_no_content_type_and_no_accept_unless_asked() throws Exception {
        HttpTransport transport = serverAnswering(200, "");

        transport.exchange(ApiCall.of("GET", "/api/v0/y/", Duration.ofSeconds(5)));

        assertThat(seen).doesNotContainKeys("content-type", "accept").containsEntry("body", "");
    }

    @Test
    void a_vast_error_body_becomes_its_status_code_and_msg() throws Exception {
        HttpTransport transport = serverAnswering(
                404, "{\"success\": false, \"error\": \"no_such_ask\", \"msg\": \"Offer 42 is gone.\"}");

        assertThatThrownBy(() -> transport.exchange(ApiCall.of("GET", "/api/v0/asks/42/", Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.error()).isEqualTo("no_such_ask");
                    assertThat(e.msg()).isEqualTo("Offer 42 is gone.");
                    assertThat(e.json()).isTrue();
                    assertThat(e.retryAfter()).isNull();
                });
    }

    @Test
    void a_fastapi_detail_is_read_as_the_msg_and_a_text_body_as_the_text() throws Exception {
        HttpTransport json = serverAnswering(422, "{\"detail\": \"field required\"}");
        assertThatThrownBy(() -> json.exchange(ApiCall.of("GET", "/", Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.error()).isNull();
                    assertThat(e.msg()).isEqualTo("field required");
                });
        stop();

        HttpTransport text = serverAnswering(502, "Bad Gateway");
        assertThatThrownBy(() -> text.exchange(ApiCall.of("GET", "/", Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(502);
                    assertThat(e.json()).isFalse();
                    assertThat(e.msg()).isEqualTo("Bad Gateway");
                });
    }

    @Test
    void a_refusal_keeps_its_retry_after() throws Exception {
        HttpTransport transport =
                serverAnswering(429, "{\"success\": false, \"error\": \"rate_limit_exceeded\"}", "Retry-After", "7");

        assertThatThrownBy(() -> transport.exchange(ApiCall.of("GET", "/", Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.msg()).isNull();
                });
    }

    @Test
    void retrying_waits_out_retry_after_refusals_and_gives_up_on_others() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        List<Integer> told = new java.util.concurrent.CopyOnWriteArrayList<>();

        String answer = RetryAfter.retrying(
                3,
                () -> {
                    if (tries.incrementAndGet() < 3)
                        throw new ApiException(503, "server_busy", "busy", true, Duration.ZERO);
                    return "done";
                },
                (refusal, pause, next) -> told.add(next));

        assertThat(answer).isEqualTo("done");
        assertThat(told).containsExactly(2, 3);

        tries.set(0);
        assertThatThrownBy(() -> RetryAfter.retrying(
                        3,
                        () -> {
                            tries.incrementAndGet();
                            throw new ApiException(400, "invalid_args", "no", true, Duration.ZERO);
                        },
                        RetryAfter.Waiting.QUIETLY))
                .isInstanceOf(ApiException.class);
        assertThat(tries).hasValue(1);
    }
}
