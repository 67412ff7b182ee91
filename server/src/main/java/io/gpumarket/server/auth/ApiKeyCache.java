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

    /** A key and the account it belongs to, as read together. */
    public record Entry(ApiKey key, User user) {}

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
                .flatMap(k -> store.repos().users().find(k.userId()).map(u -> new Entry(k, u)));
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

    /** Call after a change of the account commits (its keys are read again with it). */
    public void forgetUser(long userId) {
        revoke(e -> e.user().id() == userId);
    }
}
