package io.gpumarket.agent;

import io.gpumarket.api.ApiCall;
import io.gpumarket.api.ApiException;
import io.gpumarket.api.HttpTransport;
import io.gpumarket.api.RetryAfter;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.api.host.MachineRegistration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's half of the agent protocol: HTTP calls authenticated with the machine token. A 429 (the server's
 * rate limit) or 503 (the server shedding load) with {@code Retry-After} is waited out as told (at most a minute,
 * with jitter: {@link RetryAfter}) and the call made again, up to {@value #ATTEMPTS} times; every call of the
 * protocol may be repeated (a machine description, a sync of absolute states and cumulative counters, a log upload
 * by its token), and a refused request was not carried out.
 *
 * <p>Requests, the token, and the reading of refusals ({@link ApiException} in Vast's error shape) are the shared
 * {@link HttpTransport}'s, as for {@code GpuMarketClient}; what is the agent's own is here and above it: every call
 * labelled with its body's type, timeouts that outlast a sync's long poll, more attempts, and the sync loop's
 * back-off when the server cannot be reached ({@code SyncLoop}).
 */
public final class ServerLink {
    private static final Logger LOG = LoggerFactory.getLogger(ServerLink.class);
    static final int ATTEMPTS = 5;

    private final HttpTransport transport;

    public ServerLink(String serverUrl, String token) {
        this.transport = new HttpTransport(serverUrl, token, Duration.ofSeconds(5));
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

    /**
     * An instance-to-instance copy's progress ({@code state} active) or end (done, failed); whether the server heard
     * it. A failure to tell the server is logged, not thrown: the next progress line says it again, and the end is
     * said again by its pull until heard ({@code CopyPull}).
     */
    public boolean reportCopy(long copyId, String state, String message) {
        try {
            send(
                    "PUT",
                    "/api/v0/agent/copies/" + copyId + "/",
                    Wire.mapper().writeValueAsBytes(java.util.Map.of("state", state, "msg", message)),
                    "application/json",
                    Duration.ofSeconds(30));
            return true;
        } catch (IOException e) {
            LOG.warn("copy {}: could not tell the server '{}': {}", copyId, state, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A cloud copy's progress or end (docs/copy.md "Cloud copy"); a failure to tell the server is logged. */
    public void reportCloudCopy(long copyId, String state, String message) {
        try {
            send(
                    "PUT",
                    "/api/v0/agent/cloud_copies/" + copyId + "/",
                    Wire.mapper().writeValueAsBytes(java.util.Map.of("state", state, "msg", message)),
                    "application/json",
                    Duration.ofSeconds(30));
        } catch (IOException e) {
            LOG.warn("cloud copy {}: could not tell the server '{}': {}", copyId, state, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
        ApiCall call = ApiCall.of(method, path, timeout).withBody(body, type);
        return RetryAfter.retrying(
                ATTEMPTS,
                () -> transport.exchange(call).body(),
                (refusal, pause, next) -> LOG.info(
                        "{} {}: the server answered {} ({}); trying again in {} ms",
                        method,
                        path,
                        refusal.status(),
                        refusal.msg(),
                        pause.toMillis()));
    }
}
