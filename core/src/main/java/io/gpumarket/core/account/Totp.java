package io.gpumarket.core.account;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords as authenticator apps compute them (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30 s
 * steps, 6 digits, the secret shown to the user in base32 (RFC 4648, no padding) and in an {@code otpauth://} URI
 * (Google Authenticator's key-URI format, which every app reads). A code is accepted one step either side of now,
 * for clocks that drift; the step it matched is returned so the caller can refuse that code, or an older one,
 * a second time (RFC 6238 §5.2: "the verifier MUST NOT accept the second attempt of the same OTP").
 */
public final class Totp {
    public static final int STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    /** 160 bits: the size of SHA-1's output, as RFC 4226 recommends for the shared secret. */
    public static final int SECRET_BYTES = 20;

    private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Totp() {}

    /** A new random secret, base32. */
    public static String newSecret() {
        byte[] b = new byte[SECRET_BYTES];
        RANDOM.nextBytes(b);
        return base32(b);
    }

    /** The step an instant falls in (seconds since the epoch / 30). */
    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The code of one step, zero-padded to six digits. */
    public static String code(String base32Secret, long step) {
        byte[] key = unbase32(base32Secret);
        byte[] msg = new byte[8];
        for (int i = 7; i >= 0; i--) {
            msg[i] = (byte) (step & 0xff);
            step >>>= 8;
        }
        byte[] h;
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            h = mac.doFinal(msg);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is part of every JDK", e);
        }
        int off = h[h.length - 1] & 0x0f;
        int bin = ((h[off] & 0x7f) << 24)
                | ((h[off + 1] & 0xff) << 16)
                | ((h[off + 2] & 0xff) << 8)
                | (h[off + 3] & 0xff);
        return String.format(Locale.ROOT, "%06d", bin % 1_000_000);
    }

    /**
     * The step {@code code} matches, within one step of {@code now} and later than {@code lastUsedStep} (the step of
     * the last code accepted; a code is good once); empty when it matches none. Spaces in the code are ignored, as
     * apps show it in two groups of three.
     */
    public static OptionalLong verify(String base32Secret, String code, Instant now, Long lastUsedStep) {
        if (code == null) return OptionalLong.empty();
        String c = code.replace(" ", "").strip();
        if (!c.matches("\\d{" + DIGITS + "}")) return OptionalLong.empty();
        long current = step(now);
        for (long s = current - 1; s <= current + 1; s++) {
            if (lastUsedStep != null && s <= lastUsedStep) continue;
            if (java.security.MessageDigest.isEqual(
                    code(base32Secret, s).getBytes(StandardCharsets.US_ASCII), c.getBytes(StandardCharsets.US_ASCII))) {
                return OptionalLong.of(s);
            }
        }
        return OptionalLong.empty();
    }

    /** The key URI an authenticator app reads (from a QR code or pasted): issuer, account, secret. */
    public static String uri(String issuer, String account, String base32Secret) {
        String label = enc(issuer) + ":" + enc(account);
        return "otpauth://totp/" + label + "?secret=" + base32Secret + "&issuer=" + enc(issuer)
                + "&algorithm=SHA1&digits=" + DIGITS + "&period=" + STEP_SECONDS;
    }

    private static String enc(String s) {
        // the key-URI format wants %20 for spaces, not the '+' of form encoding
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        if (bits > 0) out.append(BASE32.charAt((buffer << (5 - bits)) & 31));
        return out.toString();
    }

    static byte[] unbase32(String s) {
        String clean = s.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
        byte[] out = new byte[clean.length() * 5 / 8];
        int buffer = 0;
        int bits = 0;
        int n = 0;
        for (int i = 0; i < clean.length(); i++) {
            int v = BASE32.indexOf(clean.charAt(i));
            if (v < 0) throw new IllegalArgumentException("not a base32 secret: '" + clean.charAt(i) + "'");
            buffer = (buffer << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out[n++] = (byte) (buffer >> (bits - 8));
                bits -= 8;
            }
        }
        return out;
    }
}
