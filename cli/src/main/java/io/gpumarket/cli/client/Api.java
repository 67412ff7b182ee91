package io.gpumarket.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.ApiException;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.RetryAfter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The calls of the client verbs, made as vastai's transport makes them (docs/vast-compatibility.md §a.1-a.4): a path without
 * {@code /api/vN/} gets {@code /api/v0} in front; query values are {@code quote_plus}-ed, non-strings as their
 * JSON; POST/PUT/DELETE always carry a JSON body ({@code {}} at least), written as Python writes it; 429, 502,
 * 503, 504 and connection failures are retried after 0.15 s, × 1.5 each time — or, where the answer says
 * {@code Retry-After} (our server's 429 and 503 do), after that long (at most a minute, with jitter:
 * {@link RetryAfter}), with a note on stderr so a person sees why the command waits. {@code --retry} attempts in
 * all (default 3).
 */
public final class Api {
    private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);
    private final GpuMarketClient client;
    private final String url;
    private final PrintStream explain;
    private final PrintStream notes;
    private final int attempts;

    /**
     * @param explain where to print each request, or null
     * @param notes   where to say that a refused call waits to be retried (stderr), or null
     */
    public Api(String url, String apiKey, PrintStream explain, PrintStream notes, int attempts) {
        this.client = new GpuMarketClient(url, apiKey);
        this.url = url;
        this.explain = explain;
        this.notes = notes;
        this.attempts = Math.max(1, attempts);
    }

    public String url() {
        return url;
    }

    public JsonNode get(String path, Map<String, ?> query) {
        return call("GET", path, query, null);
    }

    public JsonNode get(String path) {
        return call("GET", path, null, null);
    }

    public JsonNode put(String path, Object body) {
        return call("PUT", path, null, body);
    }

    public JsonNode post(String path, Object body) {
        return call("POST", path, null, body);
    }

    public JsonNode delete(String path, Object body) {
        return call("DELETE", path, null, body);
    }

    public JsonNode call(String method, String path, Map<String, ?> query, Object body) {
        String target = (path.matches("^/api/v\\d+/.*") ? path : "/api/v0" + path) + queryString(query);
        String json = method.equals("GET")
                ? (body == null ? null : PyJson.write(body))
                : PyJson.write(body == null ? Map.of() : body);
        if (explain != null) explain.println(method + " " + url + target + (json == null ? "" : "\n" + json));
        double pause = 0.15;
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(method, target, json);
            } catch (ApiException e) {
                if (!RETRYABLE.contains(e.status()) || attempt >= attempts) throw e;
                if (e.retryAfter() != null) {
                    // the server said when: wait that long, or not at all when it is more than we would wait
                    Duration wait = RetryAfter.pause(e).orElseThrow(() -> e);
                    if (notes != null) {
                        notes.printf(
                                "%s %s: HTTP %d (%s); retrying in %.1f s (attempt %d of %d)%n",
                                method,
                                path,
                                e.status(),
                                e.msg() == null ? "no message" : e.msg(),
                                wait.toMillis() / 1000.0,
                                attempt + 1,
                                attempts);
                    }
                    sleep(wait.toMillis() / 1000.0);
                    continue;
                }
            } catch (UncheckedIOException e) {
                if (attempt >= attempts) throw new Unreachable(url, e);
            }
            sleep(pause);
            pause *= 1.5;
        }
    }

    /** A GET without credentials of a URL the server handed out (log result URLs). */
    public GpuMarketClient.Text fetch(String absoluteUrl) {
        return client.fetch(absoluteUrl);
    }

    /** {@code ?a=1&b=%5B...%5D}: strings as they are, anything else as its JSON, then Python's quote_plus. */
    static String queryString(Map<String, ?> query) {
        if (query == null || query.isEmpty()) return "";
        StringJoiner out = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> out.add(k + "=" + quotePlus(v instanceof String s ? s : PyJson.write(v))));
        return out.toString();
    }

    static String quotePlus(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == '.'
                    || c == '-'
                    || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    private static void sleep(double seconds) {
        try {
            Thread.sleep((long) (seconds * 1000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The server could not be reached at all (after the retries). */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String url, UncheckedIOException cause) {
            super("cannot reach " + url + " (" + cause.getMessage() + ")", cause);
        }
    }
}
