package io.gpumarket.server.agent;

import io.gpumarket.store.Heard;
import io.gpumarket.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Heartbeats are memory, outages are data (docs/architecture.md §7): every sync says "heard from machine M at t", which lands
 * here in memory, and a flush writes what was heard since the last one in one transaction (one statement per few
 * hundred machines): each machine's last contact, and a silence wherever two contacts were further apart than the
 * unknown threshold, exactly as recording each contact would have (the store fences the times after the meter's
 * watermark). An idle long poll therefore costs no write at all.
 *
 * <p>Flushes run every {@link #FLUSH_EVERY}, just before every metering tick (so the meter reads every contact heard
 * before it: what it charges is what the durable history says; a contact racing with the tick is fenced after its
 * watermark), at the start of a reliability refresh, and when the server stops. A crash loses at most the contacts of one flush
 * interval: after a restart the machine's last contact is the one flushed before (docs/reliability.md).
 *
 * <p>With several server replicas each holds its own contacts and flushes them; the store keeps the latest.
 */
public final class LastSeen {
    /** How often heard contacts are written when nothing else flushes them first. */
    public static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

    private final Store store;
    private final Duration unknownAfter;
    private final long unknownAfterMillis;
    /** Guards {@link #pending}; held for a map operation or a swap, never across I/O. */
    private final ReentrantLock lock = new ReentrantLock();

    private Map<Long, Pending> pending = new HashMap<>();
    /** The latest contact of each machine this server heard or read, for liveness (unknown, offline). */
    private final ConcurrentHashMap<Long, Long> latest = new ConcurrentHashMap<>();

    /** What was heard from one machine since the last flush. */
    private static final class Pending {
        long first;
        long last;
        List<Instant[]> gaps;

        Pending(long first, long last) {
            this.first = first;
            this.last = last;
        }
    }

    public LastSeen(Store store, Duration unknownAfter) {
        this.store = store;
        this.unknownAfter = unknownAfter;
        this.unknownAfterMillis = unknownAfter.toMillis();
    }

    /** The machine's agent was heard from at {@code at} (a sync, a registration). Memory only. */
    public void heard(long machineId, Instant at) {
        long t = at.toEpochMilli();
        lock.lock();
        try {
            Pending p = pending.get(machineId);
            if (p == null) {
                pending.put(machineId, new Pending(t, t));
            } else {
                if (t > p.last + unknownAfterMillis) gap(p, p.last, t);
                p.first = Math.min(p.first, t);
                p.last = Math.max(p.last, t);
            }
        } finally {
            lock.unlock();
        }
        latest.merge(machineId, t, Math::max);
    }

    /** When the machine's agent was last heard from: in memory, else as stored; empty when never. */
    public Optional<Instant> of(long machineId) {
        Long t = latest.get(machineId);
        if (t != null) return Optional.of(Instant.ofEpochMilli(t));
        Optional<Instant> stored = store.repos().machines().lastSeen(machineId);
        stored.ifPresent(s -> latest.merge(machineId, s.toEpochMilli(), Math::max));
        return stored;
    }

    /** Writes what was heard since the last flush, in a transaction of its own. Returns the silences recorded. */
    public int flush() {
        List<Heard> taken = new ArrayList<>();
        try {
            return store.repos().machines().heard(() -> take(taken), unknownAfter);
        } catch (RuntimeException e) {
            restore(taken);
            throw e;
        }
    }

    /** Swaps the pending contacts out (called by the store once it holds the meter lock). */
    private List<Heard> take(List<Heard> into) {
        Map<Long, Pending> batch;
        lock.lock();
        try {
            batch = pending;
            pending = new HashMap<>();
        } finally {
            lock.unlock();
        }
        for (Map.Entry<Long, Pending> e : batch.entrySet()) {
            Pending p = e.getValue();
            into.add(new Heard(e.getKey(), Instant.ofEpochMilli(p.first), Instant.ofEpochMilli(p.last), p.gaps));
        }
        return into;
    }

    /** A flush that did not commit: its contacts go back, merged with what was heard meanwhile. */
    private void restore(List<Heard> batch) {
        if (batch.isEmpty()) return;
        lock.lock();
        try {
            for (Heard h : batch) {
                long first = h.first().toEpochMilli();
                long last = h.last().toEpochMilli();
                Pending now = pending.get(h.machineId());
                Pending back = new Pending(first, last);
                for (Instant[] g : h.gaps()) gap(back, g[0].toEpochMilli(), g[1].toEpochMilli());
                if (now != null) {
                    if (now.first > last + unknownAfterMillis) gap(back, last, now.first);
                    if (now.gaps != null)
                        for (Instant[] g : now.gaps) gap(back, g[0].toEpochMilli(), g[1].toEpochMilli());
                    back.first = Math.min(back.first, now.first);
                    back.last = Math.max(back.last, now.last);
                }
                pending.put(h.machineId(), back);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void gap(Pending p, long before, long after) {
        if (p.gaps == null) p.gaps = new ArrayList<>(1);
        p.gaps.add(new Instant[] {Instant.ofEpochMilli(before), Instant.ofEpochMilli(after)});
    }

    /** Machines heard from since the last flush (for tests and metrics). */
    public int pending() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }
}
