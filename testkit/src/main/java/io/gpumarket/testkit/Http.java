package io.gpumarket.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Raw HTTP for tests that check the wire itself (statuses, headers, bodies exactly as sent), where the typed
 * client would hide them.
 */
public final class Http {
    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public record Response(int status, String contentType, String body) {
        public JsonNode json() {
            try {
                return Wire.mapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (HTTP " + status + "): " + body, e);
            }
        }
    }

    private Http() {}

    /** @param key sent as a Bearer token when not null; @param body sent as is (JSON text) when not null */
    /** A query-string value, URL-encoded (select_filters and order_by travel as JSON in the query). */
    public static String encode(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static Response call(String method, String url, String key, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null) b.header("Content-Type", "application/json");
            if (key != null) b.header("Authorization", "Bearer " + key);
            HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public static Response get(String url, String key) {
        return call("GET", url, key, null);
    }

    public static Response post(String url, String key, String body) {
        return call("POST", url, key, body);
    }

    public static Response put(String url, String key, String body) {
        return call("PUT", url, key, body);
    }

    public static Response delete(String url, String key, String body) {
        return call("DELETE", url, key, body);
    }
}
