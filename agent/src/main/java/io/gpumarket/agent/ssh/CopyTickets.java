package io.gpumarket.agent.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * The one-time tickets of the instance-to-instance copies going out of one instance (docs/copy.md): the server
 * gives this agent only each ticket's SHA-256, and the destination's agent the ticket, which it presents as the
 * password of {@code vastai_kaalia}. A session let in this way is marked {@link #COPY_SESSION}: it gets rsync's
 * daemon read only, nothing else. A ticket stops working as soon as the server stops listing it (the copy ended or
 * was canceled); renters never log in with passwords.
 */
final class CopyTickets implements PasswordAuthenticator {
    /** Set on a session that a copy ticket let in. */
    static final AttributeKey<Boolean> COPY_SESSION = new AttributeKey<>();

    private volatile Set<String> hashes = Set.of();

    void set(Set<String> ticketHashes) {
        hashes = Set.copyOf(ticketHashes);
    }

    @Override
    public boolean authenticate(String username, String password, ServerSession session) {
        if (!RsyncDaemon.USER.equals(username) || password == null || hashes.isEmpty()) return false;
        boolean ok = hashes.contains(sha256(password));
        if (ok) session.setAttribute(COPY_SESSION, Boolean.TRUE);
        return ok;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
