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
    private final ConcurrentHashMap<Long, Waiter> waiting = new ConcurrentHashMap<>();

    /** A destroy waiting for the agent of the machine the instance is on: only that agent's word completes it. */
    private record Waiter(long machineId, CompletableFuture<Void> done) {}

    /** A future completed when the agent of {@code machineId} reports the instance removed. */
    public CompletableFuture<Void> expect(long instanceId, long machineId) {
        return waiting.computeIfAbsent(instanceId, id -> new Waiter(machineId, new CompletableFuture<>()))
                .done();
    }

    /**
     * The agent of {@code machineId} reported these instances removed. Ids of instances on other machines are
     * ignored: one agent must not be able to end another machine's wait (and tell a renter that an instance is gone
     * while it still runs).
     */
    public void removed(long machineId, Collection<Long> instanceIds) {
        for (long id : instanceIds) {
            Waiter w = waiting.get(id);
            if (w == null || w.machineId() != machineId) continue;
            if (waiting.remove(id, w)) w.done().complete(null);
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
                Waiter w = waiting.get(id);
                if (w == null) continue;
                try {
                    w.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
