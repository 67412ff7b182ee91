package io.gpumarket.core.billing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything recorded about one contract that its charges derive from: its terms, when it existed, its status
 * changes, its traffic, and its host's presence. {@link #usageAt} answers what it had used at any instant, so the
 * charges for any stretch are {@code terms.charges(usageAt(end)) − terms.charges(usageAt(start))}.
 */
public record History(
        long instanceId,
        long ownerId,
        long machineId,
        long hostId,
        ContractTerms terms,
        Lifetime life,
        List<StatusChange> changes,
        List<TrafficSample> traffic,
        HostPresence host) {
    private static final Comparator<StatusChange> CHANGE_ORDER =
            Comparator.comparing(StatusChange::at).thenComparingLong(StatusChange::id);
    private static final Comparator<TrafficSample> SAMPLE_ORDER =
            Comparator.comparing(TrafficSample::at).thenComparingLong(TrafficSample::id);

    public History {
        changes = sorted(changes, CHANGE_ORDER);
        traffic = sorted(traffic, SAMPLE_ORDER);
    }

    /** Usage at each of the instants, which must be in ascending order (one pass over the history). */
    public List<Usage> usageAt(List<Instant> ascending) {
        List<Usage> out = new ArrayList<>(ascending.size());
        UsageCursor cursor = UsageCursor.start(life.created());
        for (Instant t : ascending) {
            if (t.isBefore(life.created())) {
                out.add(Usage.ZERO);
                continue;
            }
            cursor = cursor.advance(t, changesFrom(cursor.at()), trafficFrom(cursor.at()), host, life);
            out.add(cursor.usage(life));
        }
        return out;
    }

    public Usage usageAt(Instant t) {
        return usageAt(List.of(t)).get(0);
    }

    /** Cumulative charges at {@code t}. */
    public Charges chargesAt(Instant t) {
        return terms.charges(usageAt(t));
    }

    private List<StatusChange> changesFrom(Instant t) {
        // changes exactly at t are still to apply: the cursor at t holds the status before them
        return changes.stream().filter(c -> !c.at().isBefore(t)).toList();
    }

    private List<TrafficSample> trafficFrom(Instant t) {
        return traffic.stream().filter(s -> !s.at().isBefore(t)).toList();
    }

    private static <T> List<T> sorted(List<T> items, Comparator<T> order) {
        List<T> copy = new ArrayList<>(items);
        copy.sort(order);
        return List.copyOf(copy);
    }
}
