package io.gpumarket.server.notify;

import io.gpumarket.core.notify.WebhookSignature;
import io.gpumarket.core.notify.WebhookTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * Posts one signed delivery. The target's host is resolved and every address it names checked against
 * {@link WebhookTarget#refusal} just before the post, and redirects are never followed, so a webhook cannot be pointed
 * (or redirected) at the server's own network unless the operator allowed private targets. A name that resolves to a
 * public address when checked and to a private one a moment later (DNS rebinding) is the residual risk, written down
 * in docs/webhooks.md.
 */
public final class WebhookSender {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** What an attempt gave: a 2xx status, another status, or no answer (then {@code status} is null). */
    public record Result(boolean delivered, Integer status, String error) {}

    /** The headers' values of one delivery. */
    public record Signed(long timestamp, String signature, String previousSignature) {}

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final boolean allowPrivate;

    public WebhookSender(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    public static Signed sign(String secret, String previousSecret, long timestamp, byte[] body) {
        return new Signed(
                timestamp,
                WebhookSignature.sign(secret, timestamp, body),
                previousSecret == null ? null : WebhookSignature.sign(previousSecret, timestamp, body));
    }

    /** Why a webhook may not post to {@code url} (its form, or an address its host resolves to). */
    public Optional<String> refusal(String url) {
        Optional<String> malformed = WebhookTarget.malformed(url);
        if (malformed.isPresent()) return malformed;
        String host = URI.create(url).getHost();
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                Optional<String> r = WebhookTarget.refusal(a, allowPrivate);
                if (r.isPresent())
                    return Optional.of("webhook_url's host " + host + " resolves to " + r.get() + " ("
                            + a.getHostAddress() + "); private targets are off on this server"
                            + " (--webhooks-allow-private)");
            }
        } catch (UnknownHostException e) {
            return Optional.of("webhook_url's host " + host + " does not resolve");
        }
        return Optional.empty();
    }

    public Result post(
            String url, byte[] body, Signed signed, long eventId, long deliveryId, int attempt, String type) {
        Optional<String> refused = refusal(url);
        if (refused.isPresent()) return new Result(false, null, refused.get());
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url))
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .header("User-Agent", "gpumarket-webhooks")
                .header("X-Vast-Timestamp", Long.toString(signed.timestamp()))
                .header("X-Vast-Signature-256", signed.signature())
                .header("X-Vast-Event-Id", Long.toString(eventId))
                .header("X-Vast-Event-Type", type)
                .header("X-Vast-Delivery-Id", Long.toString(deliveryId))
                .header("X-Vast-Delivery-Attempt", Integer.toString(attempt))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signed.previousSignature() != null) req.header("X-Vast-Signature-256-Previous", signed.previousSignature());
        try {
            HttpResponse<Void> r = http.send(req.build(), HttpResponse.BodyHandlers.discarding());
            int status = r.statusCode();
            return status / 100 == 2
                    ? new Result(true, status, null)
                    : new Result(false, status, "the receiver answered " + status);
        } catch (IOException e) {
            return new Result(false, null, "no answer: " + e.getClass().getSimpleName() + " " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, null, "interrupted while posting");
        }
    }
}
