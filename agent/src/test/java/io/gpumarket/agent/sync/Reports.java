package io.gpumarket.agent.sync;

import static org.awaitility.Awaitility.await;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.InstanceReport;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What the runners told the server, read as the sync loop reads it (draining the {@link ReportBuffer}): the newest
 * report per instance and the ids reported removed. Waits are Awaitility's, never sleeps: runners work on their own
 * executors.
 */
final class Reports {
    private static final Duration WAIT = Duration.ofSeconds(5);
    final ReportBuffer buffer = new ReportBuffer();
    private final Map<Long, InstanceReport> latest = new HashMap<>();
    private final Set<Long> removed = new LinkedHashSet<>();

    synchronized InstanceReport latest(long id) {
        drain();
        return latest.get(id);
    }

    synchronized Set<Long> removed() {
        drain();
        return Set.copyOf(removed);
    }

    /** Waits until the instance's newest report shows {@code status}, and answers that report. */
    InstanceReport awaitStatus(long id, ActualStatus status) {
        return awaitReport(id, r -> r.actualStatus() == status);
    }

    InstanceReport awaitReport(long id, Predicate<InstanceReport> wanted) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> latest(id) != null && wanted.test(latest(id)));
        return latest(id);
    }

    void awaitRemoved(long id) {
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> removed().contains(id));
    }

    private void drain() {
        ReportBuffer.Batch b = buffer.drain();
        for (InstanceReport r : b.reports()) latest.put(r.id(), r);
        removed.addAll(b.removed());
        b.removed().forEach(latest::remove);
    }
}
