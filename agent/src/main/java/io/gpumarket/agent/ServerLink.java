package io.gpumarket.agent;

import io.gpumarket.api.ApiException;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.RetryAfter;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.api.host.MachineRegistration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's half of the agent protocol: HTTP calls authenticated with the machine token. A 429 (the server's
 * rate limit) or 503 (the server shedding load) with {@code Retry-After} is waited out as told (at most a minute,
 * with jitter: {@link RetryAfter}) and the call made again, up to {@value #ATTEMPTS} times; every call of the
 * protocol may be repeated (a machine description, a sync of absolute states and cumulative counters, a log upload
 * by its token), and a refused request was not carried out.
 */
public final class ServerLink {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLink.class);
    static final int ATTEMPTS = 5;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    public ServerLink(String serverUrl, String token) {
        this.base = serverUrl.endsWith("/") ? serverUrl.substring(0, serverUrl.length() - 1) : serverUrl;
        this.token = token;
    }

    /** Reports this host's hardware; answers the machine id. */
    public long describeMachine(MachineRegistration fingerprint) throws IOException, InterruptedException {
        var answer = Wire.mapper()
                .readTree(send(
                        "PUT",
                        "/api/v0/agent/machine/",
                        Wire.mapper().writeValueAsBytes(fingerprint),
                        "application/json",
                        Duration.ofSeconds(30)));
        return answer.path("machine_id").asLong();
    }

    /** Downloads the server's speed-test payload; answers how many bytes came. */
    public int speedTestDownload() throws IOException, InterruptedException {
        return send("GET", "/api/v0/agent/speedtest/", new byte[0], "application/octet-stream", Duration.ofSeconds(30))
                .length;
    }

    /** Uploads a speed-test payload (just under the server's 1 MiB body limit); answers how many bytes went. */
    public int speedTestUpload() throws IOException, InterruptedException {
        byte[] payload = new byte[SPEED_TEST_BYTES];
        send("PUT", "/api/v0/agent/speedtest/", payload, "application/octet-stream", Duration.ofSeconds(30));
        return payload.length;
    }

    static final int SPEED_TEST_BYTES = 1_000_000;

    public SyncResponse sync(SyncRequest request) throws IOException, InterruptedException {
        byte[] body = send(
                "POST",
                "/api/v0/agent/sync/",
                Wire.mapper().writeValueAsBytes(request),
                "application/json",
                Duration.ofSeconds(request.waitSeconds() + 30L));
        return Wire.mapper().readValue(body, SyncResponse.class);
    }

    public void uploadLog(String token, String text) throws IOException, InterruptedException {
        send(
                "PUT",
                "/api/v0/agent/logs/" + token + "/",
                text.getBytes(StandardCharsets.UTF_8),
                "text/plain; charset=utf-8",
                Duration.ofSeconds(30));
    }

    private byte[] send(String method, String path, byte[] body, String type, Duration timeout)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(method, path, body, type, timeout);
            } catch (ApiException e) {
                Optional<Duration> pause = RetryAfter.pause(e);
                if (pause.isEmpty() || attempt >= ATTEMPTS) throw e;
                LOG.info(
                        "{} {}: the server answered {} ({}); trying again in {} ms",
                        method,
                        path,
                        e.status(),
                        e.msg(),
                        pause.get().toMillis());
                Thread.sleep(pause.get());
            }
        }
    }

    private byte[] once(String method, String path, byte[] body, String type, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", type)
                .method(method, HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() / 100 != 2) throw GpuMarketClient.error(response);
        return response.body();
    }
}
