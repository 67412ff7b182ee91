package io.gpumarket.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json}: the log an operator searches, keyed by the id every response carries. */
class JsonLogsTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path home;

    @Test
    void a_json_log_line_carries_the_request_id_route_and_caller_the_response_named() throws Exception {
        try (ServerProcess server = ServerProcess.start(home, List.of("--log-format", "json"))) {
            HttpResponse<String> me = send(server.url() + "/api/v0/users/current/", "GET", server.adminKey(), null);
            long adminId = Wire.mapper().readTree(me.body()).get("id").asLong();

            HttpResponse<String> created = send(
                    server.url() + "/api/v0/admin/users/",
                    "POST",
                    server.adminKey(),
                    "{\"email\": \"logged@test.local\"}");
            assertThat(created.statusCode()).isEqualTo(200);
            String id = created.headers().firstValue("X-Request-Id").orElseThrow();

            JsonNode line = await().atMost(Duration.ofSeconds(30))
                    .until(() -> lineWith(server.log(), id), Optional::isPresent)
                    .orElseThrow();
            assertThat(line.get("level").asText()).isEqualTo("INFO");
            assertThat(line.get("formattedMessage").asText()).isNotBlank();
            JsonNode mdc = line.get("mdc");
            assertThat(mdc.get("route").asText()).isEqualTo("POST /api/v0/admin/users");
            assertThat(mdc.get("user_id").asLong()).isEqualTo(adminId);
            // every line the server wrote is one JSON object, and no line carries the key the caller sent
            for (String l : Files.readAllLines(server.log())) {
                assertThat(Wire.mapper().readTree(l).isObject()).as(l).isTrue();
                assertThat(l).doesNotContain(server.adminKey());
            }
        }
    }

    @Test
    void a_sane_incoming_request_id_is_kept_and_any_other_is_replaced() throws Exception {
        try (TestServer server = TestServer.start()) {
            String url = server.api() + "/gpu_names/unique/";
            HttpResponse<String> kept = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("X-Request-Id", "trace-0123456789")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(kept.headers().firstValue("X-Request-Id")).contains("trace-0123456789");

            HttpResponse<String> replaced = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("X-Request-Id", "x\"}{injected")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(replaced.headers().firstValue("X-Request-Id").orElseThrow())
                    .matches("[0-9a-f]{32}");

            HttpResponse<String> fresh =
                    HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fresh.headers().firstValue("X-Request-Id").orElseThrow())
                    .matches("[0-9a-f]{32}")
                    .isNotEqualTo(replaced.headers().firstValue("X-Request-Id").orElseThrow());
        }
    }

    private static Optional<JsonNode> lineWith(Path log, String requestId) throws IOException {
        List<JsonNode> found = new ArrayList<>();
        for (String l : Files.readAllLines(log)) {
            if (l.isBlank()) continue;
            JsonNode n = Wire.mapper().readTree(l);
            JsonNode mdc = n.get("mdc");
            if (mdc != null
                    && mdc.has("request_id")
                    && mdc.get("request_id").asText().equals(requestId)) found.add(n);
        }
        return found.stream().findFirst();
    }

    private static HttpResponse<String> send(String url, String method, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) b.header("Content-Type", "application/json");
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
