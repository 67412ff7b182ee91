package io.gpumarket.agent.sync;

import io.gpumarket.api.agent.InstanceReport;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Instance reports waiting to be sent, newest per instance (a report supersedes the one before it), plus the
 * ids of instances torn down. Runners add; the sync loop drains and, when a send fails, puts back what it took
 * unless something newer arrived meanwhile. {@link #awaitPending} lets the pusher sleep until there is news.
 */
final class ReportBuffer {
    private final Map<Long, InstanceReport> reports = new LinkedHashMap<>();
    /**
     * A run's last traffic counters, kept when a report of no run or of another run (the run ended) replaces the one
     * that had them before it was sent: sent first, so the bytes of a run's last seconds are billed.
     */
    private final Map<Long, InstanceReport> lastCounts = new LinkedHashMap<>();

    private final Set<Long> removed = new LinkedHashSet<>();

    synchronized void report(InstanceReport report) {
        InstanceReport replaced = reports.put(report.id(), report);
        if (replaced != null && endsCounts(replaced, report)) lastCounts.put(report.id(), replaced);
        InstanceReport kept = lastCounts.get(report.id());
        if (kept != null && !endsCounts(kept, report)) lastCounts.remove(report.id()); // newer counts of the same run
        notifyAll();
    }

    synchronized void removed(long id) {
        reports.remove(id);
        lastCounts.remove(id);
        removed.add(id);
        notifyAll();
    }

    synchronized Batch drain() {
        List<InstanceReport> out = new ArrayList<>(lastCounts.values());
        out.addAll(reports.values());
        Batch batch = new Batch(out, new ArrayList<>(removed));
        reports.clear();
        lastCounts.clear();
        removed.clear();
        return batch;
    }

    /** After a failed send: what was taken goes back, unless newer news for the same instance came in. */
    synchronized void restore(Batch batch) {
        Map<Long, InstanceReport> newer = new LinkedHashMap<>(reports);
        for (InstanceReport r : batch.reports()) {
            InstanceReport n = newer.get(r.id());
            if (n == null) report(r); // replayed in the batch's order, so a run's last counts stay before its end
            else if (endsCounts(r, n)) lastCounts.putIfAbsent(r.id(), r);
        }
        for (Long id : batch.removed()) {
            if (!reports.containsKey(id)) removed.add(id);
        }
    }

    /** Whether {@code earlier} holds traffic counts of a run that {@code later} does not continue. */
    private static boolean endsCounts(InstanceReport earlier, InstanceReport later) {
        return earlier.rxBytes() != null && (later.rxBytes() == null || later.startedAt() != earlier.startedAt());
    }

    synchronized boolean awaitPending(long millis) throws InterruptedException {
        if (reports.isEmpty() && removed.isEmpty()) wait(millis);
        return !reports.isEmpty() || !removed.isEmpty();
    }

    record Batch(List<InstanceReport> reports, Collection<Long> removed) {
        boolean isEmpty() {
            return reports.isEmpty() && removed.isEmpty();
        }
    }
}
