package io.gpumarket.server.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances' own API keys ({@code instance_api_key}, the {@code CONTAINER_API_KEY} inside them), derived instead of
 * stored: the key of instance N is HMAC-SHA256(server secret, "gpumarket instance api key v1:" + N), in hex like
 * every other key. Only its SHA-256 goes into the database (api_keys), as for every key.
 *
 * <p>Why derived (docs/security.md "Secrets at rest"): the agent must put the key into the instance's environment
 * at every start, reboot and recovery, for the instance's whole life, also after the agent lost its state (a
 * reinstalled host, a wiped disk). A key the server can compute again serves that without ever writing the key
 * down: the database alone (a stolen backup, a file read by a neighbour on the same host) reveals no key, and
 * there is no acknowledgement protocol to get wrong (the alternative, keeping the clear key until the agent
 * confirms it, leaves it in the database — and in SQLite's free pages and WAL — for a while after every rent, and
 * loses it for good when an agent loses its state). The price: the secret file must be kept (and shared by the
 * replicas of one PostgreSQL-backed market); with a different file, instances get keys that no longer match.
 *
 * <p>The secret is a 0600 file ({@code instance-key.secret} under {@code $GPUMARKET_HOME} by default), created
 * with 256 random bits on first start.
 */
public final class InstanceKeys {
    private static final Logger LOG = LoggerFactory.getLogger(InstanceKeys.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final String PURPOSE = "gpumarket instance api key v1:";

    private final SecretKeySpec secret;
    private final Path file;

    private InstanceKeys(byte[] secret, Path file) {
        this.secret = new SecretKeySpec(secret, "HmacSHA256");
        this.file = file;
    }

    /** The server secret in {@code file}, created (0600, in a 0700 directory where we make it) if there is none. */
    public static InstanceKeys load(Path file) {
        try {
            Path abs = file.toAbsolutePath();
            if (!Files.exists(abs)) create(abs);
            if (!Files.getPosixFilePermissions(abs).equals(OWNER_ONLY)) {
                LOG.warn("{} was readable by others; set to 0600", abs);
                Files.setPosixFilePermissions(abs, OWNER_ONLY);
            }
            String text = Files.readString(abs, StandardCharsets.US_ASCII).strip();
            byte[] bytes;
            try {
                bytes = HexFormat.of().parseHex(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the instance key file " + abs + " must hold 64 hex digits", e);
            }
            if (bytes.length < 32) {
                throw new IllegalArgumentException(
                        "the instance key file " + abs + " must hold 64 hex digits, it holds " + bytes.length * 2);
            }
            return new InstanceKeys(bytes, abs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the instance key file " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        SecureFiles.directory(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        Files.writeString(tmp, Secrets.newSecret() + "\n", StandardCharsets.US_ASCII);
        try {
            // no replace: a replica that raced us to it keeps the secret it wrote, and so do we
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
        }
        LOG.info("created the instance key secret {} (keep it with the database's backups)", file);
    }

    public Path file() {
        return file;
    }

    /** Instance {@code instanceId}'s own API key. */
    public String keyOf(long instanceId) {
        return HexFormat.of().formatHex(hmac(PURPOSE + instanceId));
    }

    /**
     * A key for another purpose derived from the same server secret (HMAC-SHA256 of the purpose's name), so the
     * operator keeps one file outside the database for every secret the server must be able to read back: the
     * sealing key of accounts' environment variables ({@link SecretBox}) is one.
     */
    public byte[] derivedKey(String purpose) {
        return hmac("gpumarket derived key v1:" + purpose);
    }

    private byte[] hmac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(secret);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
