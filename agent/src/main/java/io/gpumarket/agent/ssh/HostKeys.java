package io.gpumarket.agent.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * The host key every instance listener presents: one Ed25519 key, generated on first use into
 * {@code <dir>/ssh_host_ed25519_key} (OpenSSH format, mode 0600) and read back by every later agent, so a renter's
 * {@code known_hosts} entry stays valid across agent restarts and for all instances of the machine.
 */
final class HostKeys {
    static final String FILE = "ssh_host_ed25519_key";

    private HostKeys() {}

    /** Loads (or first generates) the key now, so that a broken state dir fails the agent at start, not a login. */
    static KeyPairProvider load(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(dir.resolve(FILE));
        provider.setAlgorithm(SecurityUtils.ED25519);
        List<KeyPair> keys = provider.loadKeys(null);
        if (keys.isEmpty()) {
            throw new IOException(
                    "the SSH host key " + dir.resolve(FILE) + " could not be read or generated (see the log)");
        }
        // MINA writes it with the process's umask (often 0644): a private key is its owner's alone
        Files.setPosixFilePermissions(dir.resolve(FILE), PosixFilePermissions.fromString("rw-------"));
        return provider;
    }

    /** The OpenSSH fingerprint (SHA256:…) of the first host key, for logs and tests. */
    static String fingerprint(KeyPairProvider provider) {
        try {
            KeyPair kp = provider.loadKeys(null).iterator().next();
            return KeyUtils.getFingerPrint(kp.getPublic());
        } catch (IOException | java.security.GeneralSecurityException e) {
            return "?";
        }
    }
}
