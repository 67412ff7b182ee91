package io.gpumarket.server.agent;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Destroys waiting for their agent: {@code DELETE /instances/{id}/} answers once the machine's agent reports the
 * instance in {@code removed} (its container and SSH listener gone), so a renter who sees the answer can rely on
 * the instance being unreachable. Waiters are registered before the destroy is published, so a fast agent
 * cannot report the removal before anyone listens.
 */
public final class RemovalWaiters {
    private final ConcurrentHashMap<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** A future completed when the instance is reported removed. */
    public CompletableFuture<Void> expect(long instanceId) {
        return waiting.computeIfAbsent(instanceId, id -> new CompletableFuture<>());
    }

    /** An agent reported these instances removed. */
    public void removed(Collection<Long> instanceIds) {
        for (long id : instanceIds) {
            CompletableFuture<Void> f = waiting.remove(id);
            if (f != null) f.complete(null);
        }
    }

    /**
     * Waits for all of them, together at most {@code max}; then forgets them whether they completed or not.
     *
     * @return whether every one was reported removed in time
     */
    public boolean await(List<Long> instanceIds, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        boolean all = true;
        try {
            for (long id : instanceIds) {
                CompletableFuture<Void> f = waiting.get(id);
                if (f == null) continue;
                try {
                    f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    all = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return all;
        } finally {
            instanceIds.forEach(waiting::remove);
        }
    }

    /** Forgets waiters whose destroy did not happen. */
    public void forget(Collection<Long> instanceIds) {
        instanceIds.forEach(waiting::remove);
    }
}
