package io.gpumarket.server.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Each machine's desired-state revision, and the long polls that wait for it to change. Every change that alters
 * what a machine's agent should do (an instance created, stopped, started, rebooted, relabelled or destroyed, an
 * owner's SSH keys, a log request) bumps the machine's revision and wakes its waiting syncs.
 *
 * <p>A waiting sync is a future, not a parked thread: 10,000 agents hold 10,000 polls, and a virtual thread parked in
 * a request copies its whole stack (Jetty's, Javalin's and ours) to the heap and back on every hold; those copies
 * live as long as the hold, long enough to be promoted, and most of the server's garbage collection was theirs. A
 * future held here is a few dozen bytes, and its timeout is one entry in the JDK's shared delay queue.
 *
 * <p>Held in memory only: the agent merely compares the number with the one it last applied, so it need not
 * survive a restart, but it must never go back, or an agent could take a new state for one it has applied. Every
 * machine therefore starts at the server's start time in microseconds, above anything an earlier run of the
 * server handed out (unless it bumped one machine a million times a second). With several server replicas on
 * one PostgreSQL database a change made on another replica bumps the machine here too, through the market change log
 * ({@code server/…/replica/ChangeFeed}), so a sync held here wakes within the feed's propagation time.
 */
public final class MachineRevisions {
    private final long start;
    private final ConcurrentHashMap<Long, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One machine's number and the polls waiting on it (usually one: its agent's). */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final List<CompletableFuture<Long>> waiting = new ArrayList<>(1);
        long revision;

        Slot(long revision) {
            this.revision = revision;
        }
    }

    public MachineRevisions(Instant serverStart) {
        this.start = Math.multiplyExact(serverStart.toEpochMilli(), 1000L);
    }

    public long current(long machineId) {
        Slot s = slot(machineId);
        s.lock.lock();
        try {
            return s.revision;
        } finally {
            s.lock.unlock();
        }
    }

    /** The machine's desired state changed: a new revision, and every sync waiting on the machine wakes. */
    public long bump(long machineId) {
        Slot s = slot(machineId);
        List<CompletableFuture<Long>> woken;
        long revision;
        s.lock.lock();
        try {
            revision = ++s.revision;
            woken = s.waiting.isEmpty() ? List.of() : List.copyOf(s.waiting);
            s.waiting.clear();
        } finally {
            s.lock.unlock();
        }
        // outside the lock: a waiter's own clean-up takes it
        for (CompletableFuture<Long> w : woken) w.complete(revision);
        return revision;
    }

    /**
     * Completes with the machine's revision once it differs from {@code known}, or with {@code known} when {@code max}
     * has passed first (or at once when it differs already, or the server is stopping). Whoever waits on the future
     * must not do slow work in a dependent stage that runs where it completes (a bump's caller, or the JDK's timer
     * thread): continue with an executor.
     */
    public CompletableFuture<Long> onChange(long machineId, long known, Duration max) {
        Slot s = slot(machineId);
        CompletableFuture<Long> change = new CompletableFuture<>();
        s.lock.lock();
        try {
            if (closed || s.revision != known || max.isZero() || max.isNegative()) {
                change.complete(s.revision);
                return change;
            }
            s.waiting.add(change);
        } finally {
            s.lock.unlock();
        }
        change.completeOnTimeout(known, max.toNanos(), TimeUnit.NANOSECONDS);
        // a poll that timed out leaves the list now, not at the machine's next bump (which may never come)
        change.whenComplete((r, e) -> {
            s.lock.lock();
            try {
                s.waiting.remove(change);
            } finally {
                s.lock.unlock();
            }
        });
        return change;
    }

    private Slot slot(long machineId) {
        return slots.computeIfAbsent(machineId, id -> new Slot(start));
    }

    /** The server is stopping: held syncs are answered now instead of keeping the shutdown waiting. */
    public void close() {
        closed = true;
        for (Slot s : slots.values()) {
            List<CompletableFuture<Long>> woken;
            long revision;
            s.lock.lock();
            try {
                revision = s.revision;
                woken = List.copyOf(s.waiting);
                s.waiting.clear();
            } finally {
                s.lock.unlock();
            }
            for (CompletableFuture<Long> w : woken) w.complete(revision);
        }
    }
}
