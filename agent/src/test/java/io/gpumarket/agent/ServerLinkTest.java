package io.gpumarket.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.gpumarket.api.ApiException;
import io.gpumarket.api.agent.SyncRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The agent backs off as the server tells it: a 429 or 503 with Retry-After is waited out, then the call repeated. */
class ServerLinkTest {
    private HttpServer server;
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();

    /** A server that refuses the first {@code refusals} syncs with {@code status} and Retry-After: {@code retryAfter}. */
    private ServerLink serverThatRefuses(int refusals, int status, String retryAfter) throws IOException {
        AtomicInteger seen = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v0/agent/sync/", exchange -> {
            arrivals.add(System.nanoTime());
            exchange.getRequestBody().readAllBytes();
            boolean refuse = seen.incrementAndGet() <= refusals;
            byte[] body = (refuse
                            ? "{\"success\": false, \"error\": \"rate_limit_exceeded\", \"msg\": \"API requests too frequent\"}"
                            : "{\"machine_id\": 7, \"revision\": 3, \"heartbeat_seconds\": 10, \"instances\": []}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            if (refuse) exchange.getResponseHeaders().add("Retry-After", retryAfter);
            exchange.sendResponseHeaders(refuse ? status : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new ServerLink("http://127.0.0.1:" + server.getAddress().getPort(), "machine-token");
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    @Test
    void a_sync_refused_with_429_waits_the_retry_after_and_then_succeeds() throws Exception {
        ServerLink link = serverThatRefuses(1, 429, "1");

        var answer = link.sync(new SyncRequest(0, 0, List.of(), List.of()));

        assertThat(answer.revision()).isEqualTo(3);
        assertThat(arrivals).hasSize(2);
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void a_server_shedding_load_with_503_is_waited_out_too() throws Exception {
        ServerLink link = serverThatRefuses(2, 503, "0");

        assertThat(link.sync(new SyncRequest(0, 0, List.of(), List.of())).machineId())
                .isEqualTo(7);
        assertThat(arrivals).hasSize(3);
    }

    @Test
    void a_wait_longer_than_a_minute_is_not_waited_but_reported() throws Exception {
        ServerLink link = serverThatRefuses(1, 429, "3600");

        assertThatThrownBy(() -> link.sync(new SyncRequest(0, 0, List.of(), List.of())))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(429));
        assertThat(arrivals).hasSize(1);
    }

    @Test
    void a_server_that_keeps_refusing_is_given_up_on_after_the_attempts() throws Exception {
        ServerLink link = serverThatRefuses(Integer.MAX_VALUE, 429, "0");

        assertThatThrownBy(() -> link.sync(new SyncRequest(0, 0, List.of(), List.of())))
                .isInstanceOf(ApiException.class);
        assertThat(arrivals).hasSize(ServerLink.ATTEMPTS);
    }
}
