package io.gpumarket.core.sshkey;

import io.gpumarket.core.error.DomainException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * An OpenSSH public key line as an account stores it: {@code <type> <base64 blob> [comment]}. Validated the way
 * sshd would read it (the blob must be base64 and must itself start with the key type), so a key that is stored
 * is a key the agent's SSH front door can use. Private keys are refused outright: pasting one by mistake is the
 * error this endpoint exists to catch. NUL characters are stripped first, as Vast's input validation does.
 */
public final class SshPublicKey {
    public static final int MAX_LENGTH = 16 * 1024;
    private static final Set<String> TYPES = Set.of(
            "ssh-ed25519",
            "ssh-rsa",
            "ssh-dss",
            "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521",
            "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");

    private SshPublicKey() {}

    /** The key in canonical form (one line, single spaces), or a 400 that says what is wrong with it. */
    public static String validate(String text) {
        if (text == null) throw bad("'ssh_key' is required: a public key such as \"ssh-ed25519 AAAA… you@host\"");
        String key = text.replace("\0", "").strip();
        if (key.contains("PRIVATE KEY")) {
            throw bad("this is a private key; send the public key instead (the .pub file, e.g. ~/.ssh/id_ed25519.pub)");
        }
        if (key.isEmpty()) throw bad("'ssh_key' is empty");
        if (key.length() > MAX_LENGTH) throw bad("'ssh_key' is longer than " + MAX_LENGTH + " characters");
        if (key.contains("\n") || key.contains("\r")) throw bad("'ssh_key' must be a single public key line");
        String[] parts = key.split("\\s+", 3);
        String type = parts[0];
        if (!TYPES.contains(type)) {
            throw bad("unsupported key type '" + abbreviate(type)
                    + "'; expected ssh-ed25519, ssh-rsa, ecdsa-sha2-* or sk-*");
        }
        if (parts.length < 2) throw bad("the " + type + " key has no key data after its type");
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw bad("the " + type + " key data is not base64");
        }
        if (!type.equals(embeddedType(blob))) throw bad("the " + type + " key data does not hold a " + type + " key");
        return parts.length == 3 ? type + " " + parts[1] + " " + parts[2].strip() : type + " " + parts[1];
    }

    /** The blob starts with its type as an SSH string: a 4-byte big-endian length and that many bytes. */
    private static String embeddedType(byte[] blob) {
        if (blob.length < 4) return null;
        int len = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (len <= 0 || len > blob.length - 4) return null;
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
