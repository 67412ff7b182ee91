package io.gpumarket.server.console;

import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.auth.ApiKeyCache;
import io.gpumarket.server.auth.Authenticator;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.server.service.TfaService;
import io.gpumarket.store.ConsoleSessionRepo.ConsoleSession;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Console sign-in and sessions. A session is a random secret in an HttpOnly cookie, stored by its SHA-256 only, with
 * the synchronizer CSRF token its forms carry. Signed in with a password, a session acts with the account's full
 * access; signed in with an API key, it acts with that key's scope for as long as the key lives (a deleted or
 * expired key ends the session), so the console can never do more than the key could through the API.
 */
public final class ConsoleSessions {
    public static final Duration LIFETIME = Duration.ofHours(12);

    /** A new session: the cookie's secret (shown once) and its CSRF token. */
    public record Opened(String secret, String csrfToken, Instant expiresAt) {}

    /**
     * What a password sign-in came to: a session, or none — and then whether the password was right but the account's
     * authenticator code was missing or wrong (the form asks for it).
     */
    public record SignIn(Optional<Opened> opened, boolean codeNeeded) {}

    /** A live session: who acts, and the token its forms must carry. */
    public record Live(Principal principal, String csrfToken, boolean withKey) {}

    private final Store store;
    private final ApiKeyCache keys;
    private final Clock clock;
    private final TfaService tfa;

    public ConsoleSessions(Store store, ApiKeyCache keys, TfaService tfa, Clock clock) {
        this.store = store;
        this.keys = keys;
        this.tfa = tfa;
        this.clock = clock;
    }

    /**
     * Signs in with email and password, and the authenticator's code when the account has two-factor sign-in on. No
     * session when they do not match an account with a password (no hint which); {@code codeNeeded} only once the
     * password was right.
     */
    public SignIn withPassword(String email, String password, String code) {
        Optional<Long> user = passwordMatches(email, password);
        if (user.isEmpty()) return new SignIn(Optional.empty(), false);
        if (!tfa.check(user.get(), code)) return new SignIn(Optional.empty(), true);
        return new SignIn(Optional.of(open(user.get(), null)), false);
    }

    private Optional<Long> passwordMatches(String email, String password) {
        if (email == null || password == null) return Optional.empty();
        Optional<User> user = store.repos().users().findByEmail(email.strip());
        Optional<String> hash =
                user.flatMap(u -> store.repos().consoleSessions().passwordHash(u.id()));
        if (hash.isEmpty()) {
            // the same work as a wrong password, so timing does not say which emails have accounts
            Passwords.matches(password, DUMMY_HASH);
            return Optional.empty();
        }
        if (!Passwords.matches(password, hash.get())) return Optional.empty();
        return Optional.of(user.get().id());
    }

    /** Signs in with an API key; empty when the key is unknown, deleted or expired. */
    public Optional<Opened> withKey(String secret) {
        if (secret == null || secret.isBlank()) return Optional.empty();
        Optional<ApiKeyCache.Entry> found = keys.find(Secrets.hash(secret.strip()));
        // a team key does not open a session: the console's sessions carry no member, and would act as the team
        if (found.isEmpty()
                || found.get().member() != null
                || found.get().key().deletedAt() != null
                || !found.get().key().usableAt(clock.instant())) {
            return Optional.empty();
        }
        return Optional.of(open(found.get().user().id(), found.get().key().id()));
    }

    /** The live session of this cookie secret; empty when there is none or it (or its key) has ended. */
    public Optional<Live> find(String secret) {
        if (secret == null || secret.isBlank()) return Optional.empty();
        Instant now = clock.instant();
        Optional<ConsoleSession> found = store.repos().consoleSessions().find(Secrets.hash(secret));
        if (found.isEmpty() || !found.get().expiresAt().isAfter(now)) return Optional.empty();
        ConsoleSession s = found.get();
        Optional<User> user = store.repos().users().find(s.userId());
        if (user.isEmpty()) return Optional.empty();
        if (s.apiKeyId() == null)
            return Optional.of(new Live(new Principal(user.get(), 0, null), s.csrfToken(), false));
        Optional<ApiKey> key = store.repos().apiKeys().find(s.userId(), s.apiKeyId());
        if (key.isEmpty() || !key.get().usableAt(now) || key.get().memberId() != null) return Optional.empty();
        return Optional.of(new Live(
                new Principal(user.get(), key.get().id(), Authenticator.permissions(key.get())), s.csrfToken(), true));
    }

    /** Ends the session of this cookie secret (signing out). */
    public void end(String secret) {
        if (secret != null && !secret.isBlank()) store.repos().consoleSessions().delete(Secrets.hash(secret));
    }

    /**
     * Sets (or, null, clears) an account's password and ends its sessions, so a password changed because it leaked
     * closes what the leak opened.
     */
    public void setPassword(long userId, String password) {
        String hash = password == null ? null : Passwords.hash(password);
        boolean found = store.inTransaction(r -> {
            if (!r.consoleSessions().setPasswordHash(userId, hash)) return false;
            r.consoleSessions().deleteAll(userId);
            return true;
        });
        if (!found) throw new DomainException.NotFound("no_such_user", "No user with id " + userId);
    }

    private Opened open(long userId, Long keyId) {
        Instant now = clock.instant();
        store.repos().consoleSessions().deleteExpired(now);
        String secret = Secrets.newSecret();
        String csrf = Secrets.newSecret();
        Instant expires = now.plus(LIFETIME);
        store.repos().consoleSessions().create(Secrets.hash(secret), userId, keyId, csrf, now, expires);
        return new Opened(secret, csrf, expires);
    }

    private static final String DUMMY_HASH = Passwords.hash("not-a-password-of-anyone");
}
