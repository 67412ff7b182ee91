package io.gpumarket.agent.ssh;

import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public keys that may log in to one instance: the owner's account keys and those attached to the instance,
 * in OpenSSH {@code authorized_keys} form (ed25519, rsa, ecdsa; options and comments allowed; one string may hold
 * several lines). Replaced as a whole by {@link #set}, which new connections see at once; sessions already in
 * keep going, as with OpenSSH. Any user name is accepted: Vast users log in as root.
 *
 * <p>Besides these, the keys in the instance's own {@code /root/.ssh/authorized_keys} ({@link InstanceKeyFile}),
 * read only when none of the others matches.
 */
final class AuthorizedKeys implements PublickeyAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizedKeys.class);

    private final long instanceId;
    private final Supplier<String> ownFile;
    private volatile List<PublicKey> keys = List.of();

    /** @param ownFile the instance's own authorized_keys text ("" when it has none) */
    AuthorizedKeys(long instanceId, List<String> lines, Supplier<String> ownFile) {
        this.instanceId = instanceId;
        this.ownFile = ownFile;
        set(lines);
    }

    void set(List<String> lines) {
        keys = parse(lines, true);
    }

    private List<PublicKey> parse(List<String> lines, boolean warn) {
        List<PublicKey> parsed = new ArrayList<>();
        int skipped = 0;
        for (String text : lines == null ? List.<String>of() : lines) {
            if (text == null) continue;
            for (String line : text.split("\\R")) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                try {
                    AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line);
                    PublicKey key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
                    if (key != null) parsed.add(key);
                    else skipped++;
                } catch (Exception e) {
                    skipped++;
                }
            }
        }
        if (warn && skipped > 0)
            LOG.warn(
                    "instance {}: {} authorized key line(s) could not be parsed and were skipped", instanceId, skipped);
        return List.copyOf(parsed);
    }

    int size() {
        return keys.size();
    }

    @Override
    public boolean authenticate(String username, PublicKey key, ServerSession session) {
        for (PublicKey k : keys) {
            if (KeyUtils.compareKeys(k, key)) return true;
        }
        for (PublicKey k : parse(List.of(ownFile.get()), false)) {
            if (KeyUtils.compareKeys(k, key)) return true;
        }
        return false;
    }
}
