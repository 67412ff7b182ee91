package io.gpumarket.store;

import java.time.Instant;
import java.util.Optional;

/**
 * The web console's sign-in state: account passwords (as Argon2id hashes) and sessions, each stored by the SHA-256
 * of its cookie secret.
 */
public interface ConsoleSessionRepo {
    /** A stored session: who, with which key's scope (null: a password sign-in, full access), until when. */
    record ConsoleSession(
            long id, long userId, Long apiKeyId, String csrfToken, Instant createdAt, Instant expiresAt) {}

    /** Sets (or, null, clears) the account's password hash. False when there is no such user. */
    boolean setPasswordHash(long userId, String hash);

    /** The account's password hash; empty when it has none (or there is no such user). */
    Optional<String> passwordHash(long userId);

    ConsoleSession create(
            String secretHash, long userId, Long apiKeyId, String csrfToken, Instant now, Instant expiresAt);

    /** The session with this secret hash, expired or not; callers check the expiry. */
    Optional<ConsoleSession> find(String secretHash);

    /** Ends the session (signing out); false when there was none. */
    boolean delete(String secretHash);

    /** Ends every session of the account (its password changed); returns how many. */
    int deleteAll(long userId);

    /** Forgets sessions that expired before {@code now}; returns how many. */
    int deleteExpired(Instant now);
}
