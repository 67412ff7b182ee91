package io.gpumarket.testkit.billing;

import io.gpumarket.core.billing.Silence;
import io.gpumarket.core.billing.TrafficSample;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.store.InstanceEvent;
import io.gpumarket.store.Store;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A second, deliberately simple implementation of the billing rules, for the property test to hold the meter
 * against: it cuts an instance's life into elementary intervals at every recorded instant (status changes, silences,
 * creation, destruction), decides each interval on its own (status in force, host silent or not), adds up, and
 * prices the totals once with big integers. It shares no code with the meter.
 */
public final class Recomputation {
    /** What the test rented: the prices it read off the listing at that moment, and the fee it chose. */
    record Rented(
            long id,
            long ownerId,
            long hostId,
            long machineId,
            int gpus,
            double diskGb,
            long gpuPrice,
            long diskPrice,
            long upPrice,
            long downPrice,
            int feePpm) {}

    /** What an instance cost up to some instant: the four items, and the platform's cut of each. */
    public record Cost(long gpu, long disk, long bwu, long bwd, long fee) {
        public long total() {
            return gpu + disk + bwu + bwd;
        }
    }

    private Recomputation() {}

    /**
     * What a stored instance cost up to {@code t}, read as the meter would find it in {@code store}: its prices and
     * events, its machine's silences and last contact (silent from that contact plus {@code unknownAfter}), its
     * traffic. No platform fee.
     */
    public static Cost ofStored(Store store, Instance i, long hostId, Duration unknownAfter, Instant t) {
        long m = i.machineId();
        Instant seen = store.repos().machines().lastSeen(m).orElse(null);
        return cost(
                new Rented(
                        i.id(),
                        i.ownerId(),
                        hostId,
                        m,
                        i.numGpus(),
                        i.diskGb(),
                        i.prices().gpuPerHour(),
                        i.prices().diskPerGbMonth(),
                        i.prices().inetUpPerGb(),
                        i.prices().inetDownPerGb(),
                        0),
                i.createdAt(),
                i.destroyedAt(),
                store.repos().instances().events(i.id()),
                store.repos().billing().silencesOf(List.of(m)),
                seen == null ? Instant.EPOCH : seen.plus(unknownAfter),
                store.repos().billing().trafficOf(List.of(i.id())),
                t);
    }

    static Cost cost(
            Rented r,
            Instant created,
            Instant destroyed,
            List<InstanceEvent> events,
            List<Silence> silences,
            Instant silentFrom,
            List<TrafficSample> traffic,
            Instant t) {
        long end = Math.min(t.toEpochMilli(), destroyed == null ? Long.MAX_VALUE : destroyed.toEpochMilli());
        long start = created.toEpochMilli();
        long gpuMs = 0;
        long diskMs = Math.max(0, end - start);
        if (end > start) {
            List<InstanceEvent> ordered = new ArrayList<>(events); // by id already; a stable sort keeps that for ties
            ordered.sort(Comparator.comparing(InstanceEvent::at));
            TreeSet<Long> cuts = new TreeSet<>(List.of(start, end));
            for (InstanceEvent e : ordered) cuts.add(e.at().toEpochMilli());
            for (Silence s : silences) {
                cuts.add(s.from().toEpochMilli());
                cuts.add(s.to().toEpochMilli());
            }
            if (silentFrom != null) cuts.add(silentFrom.toEpochMilli());
            List<Long> points = new ArrayList<>(cuts.subSet(start, true, end, true));
            for (int k = 0; k + 1 < points.size(); k++) {
                long a = points.get(k);
                long b = points.get(k + 1);
                String status = null;
                for (InstanceEvent e : ordered) if (e.at().toEpochMilli() <= a) status = e.actualStatus();
                boolean silent = silentFrom != null && silentFrom.toEpochMilli() <= a;
                for (Silence s : silences) silent |= s.from().toEpochMilli() <= a && b <= s.to().toEpochMilli();
                if ("running".equals(status) && !silent) gpuMs += b - a;
            }
        }
        long rx = 0;
        long tx = 0;
        for (TrafficSample s : traffic) {
            if (!s.at().isAfter(t)) {
                rx = s.rxBytes();
                tx = s.txBytes();
            }
        }
        long gpu = floor(big(gpuMs).multiply(big(r.gpus())).multiply(big(r.gpuPrice())), 3_600_000L);
        long disk = floor(
                big(diskMs).multiply(big(r.diskPrice())).multiply(big(Math.round(r.diskGb() * 1000))),
                720L * 3_600_000L * 1000L);
        long bwu = floor(big(tx).multiply(big(r.upPrice())), 1_000_000_000L);
        long bwd = floor(big(rx).multiply(big(r.downPrice())), 1_000_000_000L);
        long fee = 0;
        for (long item : new long[] {gpu, disk, bwu, bwd})
            fee += floor(big(item).multiply(big(r.feePpm())), 1_000_000L);
        return new Cost(gpu, disk, bwu, bwd, fee);
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static long floor(BigInteger v, long by) {
        return v.divide(BigInteger.valueOf(by)).longValueExact();
    }
}
