package io.gpumarket.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/** SSH public key lines for tests: well-formed, as ssh-keygen writes them, without running it. */
public final class TestKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestKeys() {}

    /** A fresh {@code ssh-ed25519 AAAA… comment} line (the key bytes are random: nothing can sign with it). */
    public static String ed25519(String comment) {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        sshString(blob, "ssh-ed25519".getBytes(StandardCharsets.US_ASCII));
        sshString(blob, key);
        return "ssh-ed25519 " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + comment;
    }

    private static void sshString(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
