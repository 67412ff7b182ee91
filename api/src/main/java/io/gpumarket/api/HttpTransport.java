package io.gpumarket.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The one way our clients talk to a gpumarket server: the renter's and admin's {@link GpuMarketClient} (and the
 * CLI over it) and the agent's {@code ServerLink} both send through it. It builds the request ({@code
 * Authorization: Bearer} with the caller's key or machine token, the body and its type), makes the exchange, and
 * turns every non-2xx answer into one {@link ApiException} carrying Vast's error shape ({@code error}, {@code msg}
 * — or FastAPI's {@code message}/{@code detail}) and the answer's {@code Retry-After}. Waiting out a 429/503 is
 * {@link RetryAfter#retrying}; what a client does beyond that (the CLI's vastai-style retries, the agent's sync
 * back-off) stays with the client.
 */
public final class HttpTransport {
    private final HttpClient http;
    private final URI base;
    private final String bearer;

    /**
     * @param baseUrl        the server's URL (a trailing slash is dropped)
     * @param bearer         the key or machine token sent as {@code Authorization: Bearer}, or null for none
     * @param connectTimeout how long to wait for a connection
     */
    public HttpTransport(String baseUrl, String bearer, Duration connectTimeout) {
        this.base = URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
        this.bearer = bearer;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
    }

    /** The server's URL, without a trailing slash. */
    public URI base() {
        return base;
    }

    /** The answer to {@code call} when it is a 2xx; any other status is thrown as an {@link ApiException}. */
    public HttpResponse<byte[]> exchange(ApiCall call) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + call.target()))
                .timeout(call.timeout())
                .method(
                        call.method(),
                        call.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        if (call.acceptJson()) request.header("Accept", "application/json");
        if (call.contentType() != null) request.header("Content-Type", call.contentType());
        if (bearer != null) request.header("Authorization", "Bearer " + bearer);
        if (!call.headers().isEmpty()) request.headers(call.headers().toArray(String[]::new));
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) throw refusal(response);
        return response;
    }

    /** A GET of an absolute URL without credentials (the result URLs of log requests): any status, as text. */
    public HttpResponse<String> fetch(URI url, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A non-2xx answer as an {@link ApiException}: Vast's {@code error} and {@code msg} (or {@code message} or
     * {@code detail}, which FastAPI-style servers answer) when the body is a JSON object, else the body's text;
     * with its {@code Retry-After} when it has one.
     */
    public static ApiException refusal(HttpResponse<byte[]> response) {
        Duration retryAfter = response.headers()
                .firstValue("Retry-After")
                .flatMap(h -> RetryAfter.parse(h, Instant.now()))
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
