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
    private final Set<Long> removed = new LinkedHashSet<>();

    synchronized void report(InstanceReport report) {
        reports.put(report.id(), report);
        notifyAll();
    }

    synchronized void removed(long id) {
        reports.remove(id);
        removed.add(id);
        notifyAll();
    }

    synchronized Batch drain() {
        Batch batch = new Batch(new ArrayList<>(reports.values()), new ArrayList<>(removed));
        reports.clear();
        removed.clear();
        return batch;
    }

    /** After a failed send: what was taken goes back, unless newer news for the same instance came in. */
    synchronized void restore(Batch batch) {
        for (InstanceReport r : batch.reports()) reports.putIfAbsent(r.id(), r);
        for (Long id : batch.removed()) {
            if (!reports.containsKey(id)) removed.add(id);
        }
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
