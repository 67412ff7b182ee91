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
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small client for the gpumarket HTTP API, used by the CLI, the dev market and the tests; it sends through the
 * {@link HttpTransport} the agent's link uses too. It speaks the same wire as Vast clients: {@code Authorization:
 * Bearer KEY}, JSON bodies, paths under {@code /api/v0}.
 *
 * <p>The typed calls honour {@code Retry-After} on 429 and 503 ({@link RetryAfter}): they wait as told (at most a
 * minute) and try again, {@value #ATTEMPTS} attempts in all. {@link #send} makes exactly one exchange: its caller
 * (the CLI's transport) retries as vastai does, and says so.
 */
public final class GpuMarketClient {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Attempts of a typed call refused with 429/503 and a Retry-After. */
    public static final int ATTEMPTS = 3;

    private final HttpTransport transport;

    public GpuMarketClient(String baseUrl, String apiKey) {
        this.transport = new HttpTransport(baseUrl, apiKey, Duration.ofSeconds(10));
    }

    public GpuMarketClient withKey(String key) {
        return new GpuMarketClient(transport.base().toString(), key);
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
        byte[] bytes = exchange(method, pathAndQuery, body);
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
            HttpResponse<String> r = transport.fetch(URI.create(url), Duration.ofSeconds(30));
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
        byte[] bytes;
        try {
            bytes = body == null ? null : Wire.mapper().writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        }
        byte[] answer;
        try {
            answer = RetryAfter.retrying(
                    ATTEMPTS, () -> exchange(method, path, bytes, headers), RetryAfter.Waiting.QUIETLY);
        } catch (IOException e) { // exchange() throws its failures unchecked already
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry " + method + " " + path, e);
        }
        try {
            return Wire.mapper().readValue(answer, type);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + ": " + e.getMessage(), e);
        }
    }

    /** One exchange; transport failures as unchecked exceptions naming the call, refusals as ApiException. */
    private byte[] exchange(String method, String target, byte[] body, String... headers) {
        ApiCall call = ApiCall.of(method, target, Duration.ofSeconds(120)).acceptingJson();
        if (body != null) call = call.withBody(body, "application/json");
        for (int i = 0; i + 1 < headers.length; i += 2) call = call.withHeader(headers[i], headers[i + 1]);
        try {
            return transport.exchange(call).body();
        } catch (IOException e) {
            throw new UncheckedIOException(
                    method + " " + URI.create(transport.base() + target).getPath() + ": "
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted during " + method + " "
                            + URI.create(transport.base() + target).getPath(),
                    e);
        }
    }
}
