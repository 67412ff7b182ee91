package io.gpumarket.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistered;
import io.gpumarket.api.host.MachineRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small client for the gpumarket HTTP API (JDK {@link HttpClient}), used by the CLI, the dev market and the
 * agent. It speaks the same wire as Vast clients: {@code Authorization: Bearer KEY}, JSON bodies, paths under
 * {@code /api/v0}.
 *
 * <p>The typed calls honour {@code Retry-After} on 429 and 503 ({@link RetryAfter}): they wait as told (at most a
 * minute) and try again, {@value #ATTEMPTS} attempts in all. {@link #send} makes exactly one exchange: its caller
 * (the CLI's transport) retries as vastai does, and says so.
 */
public final class GpuMarketClient {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Attempts of a typed call refused with 429/503 and a Retry-After. */
    public static final int ATTEMPTS = 3;

    private final HttpClient http;
    private final URI base;
    private final String apiKey;

    public GpuMarketClient(String baseUrl, String apiKey) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.apiKey = apiKey;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public GpuMarketClient withKey(String key) {
        return new GpuMarketClient(base.toString(), key);
    }

    // --- account ---

    public Map<String, Object> currentUser() {
        return call("GET", "/api/v0/users/current/", null, MAP);
    }

    // --- search ---

    public List<Map<String, Object>> searchOffers(Map<String, Object> query) {
        Map<String, Object> answer = call("POST", "/api/v0/bundles/", query, MAP);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> offers = (List<Map<String, Object>>) answer.get("offers");
        return offers;
    }

    // --- hosts ---

    public MachineRegistered registerMachine(MachineRegistration registration) {
        return call("POST", "/api/v0/host/machines/", registration, new TypeReference<>() {});
    }

    public Map<String, Object> listMachine(ListMachineRequest request) {
        return call("PUT", "/api/v0/machines/create_asks/", request, MAP);
    }

    // --- admin (our extension, admin keys only) ---

    /** Creates an account and returns {@code {"user": {...}, "api_key": "..."}}. */
    public Map<String, Object> adminCreateUser(String email, String username, boolean admin) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("email", email);
        body.put("username", username);
        body.put("admin", admin);
        return call("POST", "/api/v0/admin/users/", body, MAP);
    }

    public Map<String, Object> adminAddCredit(long userId, double dollars, String memo, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", dollars);
        body.put("memo", memo);
        return call(
                "PUT",
                "/api/v0/admin/users/" + userId + "/credit/",
                body,
                MAP,
                idempotencyKey == null ? new String[0] : new String[] {"Idempotency-Key", idempotencyKey});
    }

    public Map<String, Object> adminRefund(
            long userId, double dollars, String reason, Long instanceId, String idempotencyKey) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("amount", dollars);
        body.put("reason", reason);
        if (instanceId != null) body.put("instance_id", instanceId);
        return call(
                "PUT",
                "/api/v0/admin/users/" + userId + "/refund/",
                body,
                MAP,
                idempotencyKey == null ? new String[0] : new String[] {"Idempotency-Key", idempotencyKey});
    }

    public Map<String, Object> adminSetMachine(long machineId, Map<String, Object> changes) {
        return call("PUT", "/api/v0/admin/machines/" + machineId + "/", changes, MAP);
    }

    public Map<String, Object> adminListUsers() {
        return call("GET", "/api/v0/admin/users/", null, MAP);
    }

    // --- transport ---

    /** Any call, for verbs without a typed method. */
    public JsonNode raw(String method, String path, Object body) {
        return call(method, path, body, new TypeReference<JsonNode>() {});
    }

    /**
     * One call with the body sent exactly as given (JSON text; null sends none) to this server's URL followed by
     * {@code pathAndQuery} as written. Answers the JSON of a 2xx answer: an empty body as a null node, a body
     * that is not JSON as a text node. Non-2xx answers throw {@link ApiException}.
     */
    public JsonNode send(String method, String pathAndQuery, String jsonBody) {
        byte[] body = jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> response = exchange(method, URI.create(base + pathAndQuery), body);
        byte[] bytes = response.body();
        if (bytes.length == 0) return NullNode.getInstance();
        try {
            return Wire.mapper().readTree(bytes);
        } catch (IOException notJson) {
            return TextNode.valueOf(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    /** A GET of an absolute URL without credentials (the result URLs of log requests): status and text. */
    public Text fetch(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .GET()
                    .build();
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Text(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + url, e);
        }
    }

    /** A plain-text answer. */
    public record Text(int status, String body) {}

    private <T> T call(String method, String path, Object body, TypeReference<T> type, String... headers) {
        try {
            byte[] bytes = body == null ? null : Wire.mapper().writeValueAsBytes(body);
            for (int attempt = 1; ; attempt++) {
                try {
                    return Wire.mapper()
                            .readValue(
                                    exchange(method, base.resolve(path), bytes, headers)
                                            .body(),
                                    type);
                } catch (ApiException e) {
                    var pause = RetryAfter.pause(e);
                    if (pause.isEmpty() || attempt >= ATTEMPTS) throw e;
                    sleep(pause.get(), method, path);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration pause, String method, String path) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry " + method + " " + path, e);
        }
    }

    private HttpResponse<byte[]> exchange(String method, URI uri, byte[] body, String... headers) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(120))
                    .header("Accept", "application/json")
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(body));
            if (body != null) request.header("Content-Type", "application/json");
            if (apiKey != null) request.header("Authorization", "Bearer " + apiKey);
            if (headers.length > 0) request.headers(headers);
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) throw error(response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    method + " " + uri.getPath() + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + uri.getPath(), e);
        }
    }

    /** The refusal, with its Retry-After when it has one. */
    public static ApiException error(HttpResponse<byte[]> response) {
        Duration retryAfter = response.headers()
                .firstValue("Retry-After")
                .flatMap(h -> RetryAfter.parse(h, java.time.Instant.now()))
                .orElse(null);
        try {
            JsonNode body = Wire.mapper().readTree(response.body());
            if (body == null || !body.isObject()) throw new IOException("not a JSON object");
            JsonNode msg =
                    body.has("msg") ? body.get("msg") : body.has("message") ? body.get("message") : body.get("detail");
            return new ApiException(
                    response.statusCode(),
                    body.path("error").asText(null),
                    msg == null || msg.isNull() ? null : msg.asText(),
                    true,
                    retryAfter);
        } catch (IOException notJson) {
            return new ApiException(
                    response.statusCode(),
                    null,
                    new String(response.body(), StandardCharsets.UTF_8),
                    false,
                    retryAfter);
        }
    }
}
