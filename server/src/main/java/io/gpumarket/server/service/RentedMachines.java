package io.gpumarket.server.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpumarket.store.Store;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The machines where an account holds a live instance (the per-caller {@code rented} search column), kept per account
 * so that a search reads nothing from the store. A contract begins only by renting ({@link RentService}) and ends only
 * by destroying ({@link InstanceService}); both call {@link #changed} once they commit, so this server's searches see
 * the change at once. Another replica sharing the database sees it within {@link #TTL}.
 */
public final class RentedMachines {
    public static final Duration TTL = Duration.ofSeconds(10);
    private static final int MAX_ACCOUNTS = 20_000;

    private final Store store;
    private final Cache<Long, Set<Long>> byOwner = Caffeine.newBuilder()
            .maximumSize(MAX_ACCOUNTS)
            .expireAfterWrite(TTL)
            .build();
    /** Moves at every change: a read from before a change is not cached after it (as in ApiKeyCache). */
    private long changes;

    private final ReentrantLock lock = new ReentrantLock();

    public RentedMachines(Store store) {
        this.store = store;
    }

    public Set<Long> of(long ownerId) {
        Set<Long> cached = byOwner.getIfPresent(ownerId);
        if (cached != null) return cached;
        long before;
        lock.lock();
        try {
            before = changes;
        } finally {
            lock.unlock();
        }
        Set<Long> read = Set.copyOf(store.repos().instances().machinesOfOwner(ownerId));
        lock.lock();
        try {
            if (changes == before) byOwner.put(ownerId, read);
        } finally {
            lock.unlock();
        }
        return read;
    }

    /** Call after a contract of this account began or ended (committed). */
    public void changed(long ownerId) {
        lock.lock();
        try {
            changes++;
            byOwner.invalidate(ownerId);
        } finally {
            lock.unlock();
        }
    }
}
