package io.gpumarket.server.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Values the server must read back but the database must not reveal (accounts' environment variables): sealed with
 * the JDK's AES-256-GCM under a key derived from the server secret ({@link InstanceKeys#derivedKey}), which lives in
 * a 0600 file outside the database (docs/security.md "Secrets at rest"). Each value gets a fresh 96-bit nonce, and
 * its place ("env var 7 HF_TOKEN") is bound to it as associated data, so a value copied to another account's row or
 * another name in the table does not open. Sealed form: {@code v1:} + base64(nonce ‖ ciphertext ‖ tag).
 */
public final class SecretBox {
    private static final String PREFIX = "v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public SecretBox(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("an AES-256 key has 32 bytes, got " + key.length);
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** The box of this server's environment variables, keyed from its instance-key secret. */
    public static SecretBox forEnvVars(InstanceKeys keys) {
        return new SecretBox(keys.derivedKey("account env vars"));
    }

    public String seal(String place, String value) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length);
            out.put(nonce).put(sealed);
            return PREFIX + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }

    /**
     * The clear value.
     *
     * @throws IllegalArgumentException when it was not sealed by this key for this place (another server secret, a
     *                                  row moved or changed in the database)
     */
    public String open(String place, String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX))
            throw new IllegalArgumentException("not a sealed value: " + place);
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a sealed value that is not base64: " + place, e);
        }
        if (all.length < NONCE_BYTES + TAG_BITS / 8) throw new IllegalArgumentException("a truncated value: " + place);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            c.updateAAD(place.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(Arrays.copyOfRange(all, NONCE_BYTES, all.length)), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException(
                    "the value of " + place + " does not open with this server's secret (another secret file, or a"
                            + " changed row)",
                    e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    }
}
