package io.gpumarket.server.audit;

import io.gpumarket.store.AuditRepo;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts' audit log, written in batches. Recording a call only queues its entry in memory (no statement on
 * the request's path: renting stays at the statements it had, which the load work counts); a flush every
 * {@link #FLUSH_EVERY} writes what is queued in one multi-row INSERT per few hundred entries, in one transaction
 * through the store's write gate. A full queue ({@link #FLUSH_AT} entries) is flushed by the caller that fills it,
 * so memory stays bounded without dropping entries. Reading the log flushes first, so a caller sees its own calls.
 *
 * <p>Durability: an entry is durable once its flush commits. A clean stop flushes; a crash (SIGKILL, power) loses
 * the entries of at most the last flush interval (1 s) — the calls themselves committed, their audit lines did not.
 * A flush that fails (database away) puts its entries back at the head of the queue and is tried again at the next.
 */
public final class AuditLog {
    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    public static final Duration FLUSH_EVERY = Duration.ofSeconds(1);
    static final int FLUSH_AT = 10_000;

    private final Store store;
    private final Clock clock;
    private final ConcurrentLinkedQueue<AuditRepo.Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final ReentrantLock flushing = new ReentrantLock();

    public AuditLog(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Queues the entry of a call made now; flushes here only when the queue is full.
     *
     * @param keyId the key's id, never the key; null when the call carried none
     * @param args  the path's parameters as a JSON object ({@link AuditArgs})
     */
    public void record(
            long userId,
            Long keyId,
            String method,
            String route,
            String routeName,
            String args,
            int status,
            String ipAddress) {
        queue.add(new AuditRepo.Entry(
                0, userId, keyId, method, route, routeName, args, status, ipAddress, clock.instant()));
        if (queued.incrementAndGet() >= FLUSH_AT) flush();
    }

    /** Writes everything queued; one flush at a time (a second caller waits for the first and then writes the rest). */
    public void flush() {
        flushing.lock();
        try {
            List<AuditRepo.Entry> batch = new ArrayList<>();
            for (AuditRepo.Entry e; (e = queue.poll()) != null; ) batch.add(e);
            if (batch.isEmpty()) return;
            queued.addAndGet(-batch.size());
            try {
                store.repos().audit().append(batch);
            } catch (RuntimeException failed) {
                // kept for the next flush, in order, ahead of what came meanwhile
                List<AuditRepo.Entry> rest = new ArrayList<>(batch);
                for (AuditRepo.Entry e; (e = queue.poll()) != null; ) rest.add(e);
                queue.addAll(rest);
                queued.addAndGet(batch.size());
                LOG.warn("audit log: {} entries not written yet: {}", batch.size(), failed.toString());
                throw failed;
            }
        } finally {
            flushing.unlock();
        }
    }

    /** The account's entries, newest first, after a flush. */
    public List<AuditRepo.Entry> of(long userId, Long beforeId, int limit) {
        try {
            flush();
        } catch (RuntimeException e) {
            // what is stored is still worth answering
        }
        return store.repos().audit().of(userId, beforeId, limit);
    }
}
