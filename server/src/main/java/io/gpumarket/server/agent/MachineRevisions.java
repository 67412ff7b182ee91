package io.gpumarket.server.agent;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Each machine's desired-state revision, and the long poll that waits for it to change. Every change that alters
 * what a machine's agent should do (an instance created, stopped, started, rebooted, relabelled or destroyed, an
 * owner's SSH keys, a log request) bumps the machine's revision and wakes its waiting sync.
 *
 * <p>Held in memory only: the agent merely compares the number with the one it last applied, so it need not
 * survive a restart, but it must never go back, or an agent could take a new state for one it has applied. Every
 * machine therefore starts at the server's start time in microseconds, above anything an earlier run of the
 * server handed out (unless it bumped one machine a million times a second). With several server replicas on
 * one PostgreSQL database a change made on one replica does not wake a sync held on another; that agent sees
 * the change at its next sync, at most a heartbeat later.
 */
public final class MachineRevisions {
    private final long start;
    private final ConcurrentHashMap<Long, Slot> slots = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** One machine's number and the condition its waiting syncs sleep on (a lock, not a monitor: virtual threads). */
    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        final Condition changed = lock.newCondition();
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
        s.lock.lock();
        try {
            s.revision++;
            s.changed.signalAll();
            return s.revision;
        } finally {
            s.lock.unlock();
        }
    }

    /**
     * Waits until the machine's revision differs from {@code known}, or {@code max} has passed.
     *
     * @return the revision then
     */
    public long awaitChange(long machineId, long known, Duration max) throws InterruptedException {
        Slot s = slot(machineId);
        long left = max.toNanos();
        s.lock.lock();
        try {
            while (!closed && s.revision == known && left > 0) left = s.changed.awaitNanos(left);
            return s.revision;
        } finally {
            s.lock.unlock();
        }
    }

    private Slot slot(long machineId) {
        return slots.computeIfAbsent(machineId, id -> new Slot(start));
    }

    /** The server is stopping: held syncs are answered now instead of keeping the shutdown waiting. */
    public void close() {
        closed = true;
        for (Slot s : slots.values()) {
            s.lock.lock();
            try {
                s.changed.signalAll();
            } finally {
                s.lock.unlock();
            }
        }
    }
}
