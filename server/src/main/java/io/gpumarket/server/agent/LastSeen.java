package io.gpumarket.server.agent;

import io.gpumarket.store.Heard;
import io.gpumarket.store.Store;
import java.time.Clock;
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
 * watermark), at the start of a reliability refresh, and when the server stops.
 *
 * <p>A machine that keeps talking is written at most once per {@code defer} (half of what the unknown threshold
 * leaves after two flush intervals: 10 s with the default 30 s), not at every flush: 10,000 agents otherwise rewrite
 * 10,000 rows every 5 s, most of the store's work under a fleet. A contact is written at the first flush where any of
 * these holds: the machine was never written by this server; the contact is {@code defer} newer than the one written;
 * it is {@code defer} old (the machine may have gone quiet); or a silence was recorded. That keeps the meter exact:
 * the stored contact of a machine heard from is never more than {@code defer} + one flush interval behind, so it never
 * looks silent while it talks; and the last contact of a machine that went quiet is written within {@code defer} + one
 * flush interval of it, which is before its stored contact can be older than the unknown threshold (defer × 2 + two
 * flush intervals ≤ the threshold; and a flush runs just before every metering tick), so the meter always charges up to the true last contact plus the threshold. A crash
 * loses at most {@code defer} + one flush interval of contacts: after a restart a machine's last contact is the one
 * written before (docs/reliability.md). A stop writes everything.
 *
 * <p>With several server replicas each holds its own contacts and flushes them; the store keeps the latest.
 */
public final class LastSeen {
    /** How often heard contacts are written when nothing else flushes them first. */
    public static final Duration FLUSH_EVERY = Duration.ofSeconds(5);

    private final Store store;
    private final Clock clock;
    private final Duration unknownAfter;
    private final long unknownAfterMillis;
    /** How long a talking machine's contacts may stay unwritten (0: written at every flush). */
    private final long deferMillis;
    /** The last contact written for each machine by this server (guarded by {@link #lock}). */
    private final Map<Long, Long> written = new HashMap<>();
    /** Guards {@link #pending}; held for a map operation or a swap, never across I/O. */
    private final ReentrantLock lock = new ReentrantLock();

    private Map<Long, Pending> pending = new HashMap<>();
    /** The latest contact of each machine this server heard or read, for liveness (unknown, offline). */
    private final ConcurrentHashMap<Long, Long> latest = new ConcurrentHashMap<>();
    /** Machines heard within the unknown threshold, counted at each flush (the sync pacing's fleet size). */
    private volatile int present;

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

    /** @param clock the clock the contacts are heard by (whose now decides what is due at a flush) */
    public LastSeen(Store store, Duration unknownAfter, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.unknownAfter = unknownAfter;
        this.unknownAfterMillis = unknownAfter.toMillis();
        this.deferMillis = Math.max(0, (unknownAfterMillis - 2 * FLUSH_EVERY.toMillis()) / 2);
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

    /**
     * Writes the contacts that are due (see the class comment), in a transaction of its own. Returns the silences
     * recorded.
     */
    public int flush() {
        return flush(false);
    }

    /** Writes every contact heard since the last flush (the server is stopping). */
    public int flushAll() {
        return flush(true);
    }

    /**
     * How many machines this server heard from within the unknown threshold, as of the last flush: the fleet whose
     * idle syncs the hold is paced for (SyncPacing).
     */
    public int present() {
        return present;
    }

    private int flush(boolean all) {
        long since = clock.millis() - unknownAfterMillis;
        int n = 0;
        for (long t : latest.values()) if (t >= since) n++;
        present = n;
        List<Heard> taken = new ArrayList<>();
        int silences;
        try {
            silences = store.repos().machines().heard(() -> take(taken, all), unknownAfter);
        } catch (RuntimeException e) {
            restore(taken);
            throw e;
        }
        lock.lock();
        try {
            for (Heard h : taken) written.merge(h.machineId(), h.last().toEpochMilli(), Math::max);
        } finally {
            lock.unlock();
        }
        return silences;
    }

    /** Takes the contacts due out of the pending ones (called by the store once it holds the meter lock). */
    private List<Heard> take(List<Heard> into, boolean all) {
        Map<Long, Pending> batch;
        long now = clock.millis();
        lock.lock();
        try {
            if (all || deferMillis == 0) {
                batch = pending;
                pending = new HashMap<>();
            } else {
                batch = new HashMap<>();
                for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                    Map.Entry<Long, Pending> e = it.next();
                    if (due(e.getKey(), e.getValue(), now)) {
                        batch.put(e.getKey(), e.getValue());
                        it.remove();
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        for (Map.Entry<Long, Pending> e : batch.entrySet()) {
            Pending p = e.getValue();
            into.add(new Heard(e.getKey(), Instant.ofEpochMilli(p.first), Instant.ofEpochMilli(p.last), p.gaps));
        }
        return into;
    }

    /** Whether a machine's pending contacts must be written at this flush (the class comment says why). */
    private boolean due(long machineId, Pending p, long now) {
        Long w = written.get(machineId);
        return w == null || p.gaps != null || p.last - w >= deferMillis || now - p.last >= deferMillis;
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
