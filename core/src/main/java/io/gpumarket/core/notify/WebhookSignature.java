package io.gpumarket.core.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook delivery, as Vast signs its notifications ({@code X-Vast-Signature-256}): HMAC-SHA256 with
 * the webhook's secret over {@code timestamp + "." + body}, written {@code sha256=<hex>}; the timestamp (epoch seconds)
 * travels in {@code X-Vast-Timestamp}, so a receiver can refuse an old delivery replayed.
 */
public final class WebhookSignature {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private WebhookSignature() {}

    public static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            byte[] digest = mac.doFinal(body);
            StringBuilder out = new StringBuilder("sha256=");
            for (byte b : digest) out.append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
            return out.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison of a received signature with the one {@code secret} gives. */
    public static boolean verifies(String secret, long timestamp, byte[] body, String received) {
        if (received == null) return false;
        return MessageDigest.isEqual(
                sign(secret, timestamp, body).getBytes(StandardCharsets.UTF_8),
                received.getBytes(StandardCharsets.UTF_8));
    }
}
