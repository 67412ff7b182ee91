package io.gpumarket.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.account.User;
import io.gpumarket.store.Store;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * API keys as the authenticator needs them (the key row and its account), by the SHA-256 of the secret, so that a
 * request of a known key reads nothing from the store. Bounded ({@link #MAX_KEYS}) and short-lived ({@link #TTL}).
 *
 * <p>Revocation is immediate on this server: deleting a key ({@link #forgetKey}, from the key routes and from
 * destroying an instance, whose own key goes with it) and changing an account ({@link #forgetUser}) drop the entries
 * after the change commits; expiry is checked against the cached {@code expires_at} on every request, so a key stops
 * at its expiry to the millisecond. Only another server replica sharing the database (PostgreSQL) may still accept a
 * key deleted elsewhere, for at most {@link #TTL}. Unknown secrets are not cached (each costs one lookup, as before).
 */
public final class ApiKeyCache {
    public static final Duration TTL = Duration.ofSeconds(10);
    public static final int MAX_KEYS = 20_000;

    /**
     * A key and the account it belongs to, as read together; for a team key also its member and their role (read
     * only for team keys, so other keys cost what they did).
     */
    public record Entry(ApiKey key, User user, Member member) {}

    private final Store store;
    private final Cache<String, Entry> byHash =
            Caffeine.newBuilder().maximumSize(MAX_KEYS).expireAfterWrite(TTL).build();
    /**
     * Moves at every revocation. A lookup caches what it read only if none happened since it began (under the lock
     * revocations take), so a read from before a deletion cannot be put back after the deletion dropped it.
     */
    private long revocations;

    private final ReentrantLock lock = new ReentrantLock();

    public ApiKeyCache(Store store) {
        this.store = store;
    }

    /** The key with this secret hash and its account; empty when there is no such key or account. */
    public Optional<Entry> find(String secretHash) {
        Entry cached = byHash.getIfPresent(secretHash);
        if (cached != null) return Optional.of(cached);
        long before = revocations();
        Optional<Entry> read = store.repos()
                .apiKeys()
                .findByHash(secretHash)
                .flatMap(k -> store.repos().users().find(k.userId()).flatMap(u -> entry(k, u)));
        // A deleted key is not kept: its refusal is a lookup, as rare as the use of a deleted key.
        read.filter(e -> e.key().deletedAt() == null).ifPresent(e -> {
            lock.lock();
            try {
                if (revocations == before) byHash.put(secretHash, e);
            } finally {
                lock.unlock();
            }
        });
        return read;
    }

    /** The entry of a key; empty for a team key whose member has left the team (the key no longer opens it). */
    private Optional<Entry> entry(ApiKey key, User user) {
        if (key.memberId() == null) return Optional.of(new Entry(key, user, null));
        return store.repos()
                .teams()
                .member(key.userId(), key.memberId())
                .map(m -> new Entry(
                        key,
                        user,
                        new Member(
                                m.userId(),
                                m.email(),
                                m.roleId(),
                                m.roleName(),
                                Authenticator.document(m.rolePermissions(), "role " + m.roleId()))));
    }

    private long revocations() {
        lock.lock();
        try {
            return revocations;
        } finally {
            lock.unlock();
        }
    }

    private void revoke(java.util.function.Predicate<Entry> which) {
        lock.lock();
        try {
            revocations++;
            byHash.asMap().values().removeIf(which);
        } finally {
            lock.unlock();
        }
    }

    /** Call after a key's deletion commits. */
    public void forgetKey(long keyId) {
        revoke(e -> e.key().id() == keyId);
    }

    /**
     * Call after a change of the account commits (its keys are read again with it); for a team, after a change of
     * its roles or members, so every team key is read again with its member's role.
     */
    public void forgetUser(long userId) {
        revoke(e -> e.user().id() == userId);
    }
}
