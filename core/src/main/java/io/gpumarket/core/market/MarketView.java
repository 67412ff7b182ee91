package io.gpumarket.core.market;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The market metrics' arithmetic, pure: the market grouped into {@link MarketSnapshot}s (what the snapshot loop keeps,
 * and what "current" is computed from, so both always agree), then a GPU model's counts and price percentiles under a
 * {@link MarketFilter}, now or over time.
 */
public final class MarketView {
    private MarketView() {}

    /** Counts and percentiles of one GPU model (prices in micro-dollars per GPU-hour, null without GPUs). */
    public record Figures(
            String gpuName,
            int rentedVerified,
            int availVerified,
            int rentedUnverified,
            int availUnverified,
            PriceDistribution rentedPrices,
            PriceDistribution availPrices) {
        public int rented() {
            return rentedVerified + rentedUnverified;
        }

        public int available() {
            return availVerified + availUnverified;
        }

        public int total() {
            return rented() + available();
        }

        /** Rented GPUs as a percentage of all (0 with none). */
        public double usage() {
            return total() == 0 ? 0 : 100.0 * rented() / total();
        }
    }

    /** One GPU model over time: one point per step that has a snapshot, the last snapshot of that step. */
    public record Series(String gpuName, List<Instant> at, List<Figures> figures) {}

    private record Group(String gpuName, boolean verified, boolean datacenter, int bucket) {}

    public static List<MarketSnapshot> snapshot(Collection<Supply> machines, Collection<Rental> rentals, Instant now) {
        Map<Long, Group> groupOf = new HashMap<>();
        Map<Group, int[]> counts = new LinkedHashMap<>();
        Map<Group, PriceDistribution> rented = new HashMap<>();
        Map<Group, PriceDistribution> avail = new HashMap<>();
        for (Supply s : machines) {
            Group g = new Group(s.gpuName(), s.verified(), s.datacenter(), GpuBucket.of(s.machineGpus()));
            groupOf.put(s.machineId(), g);
            int[] c = counts.computeIfAbsent(g, x -> new int[2]);
            c[0] += s.rentedGpus();
            c[1] += s.availableGpus();
            PriceDistribution a = avail.computeIfAbsent(g, x -> new PriceDistribution());
            if (s.listedPrice() != null) a.add(s.listedPrice(), s.availableGpus());
        }
        for (Rental r : rentals) {
            Group g = groupOf.get(r.machineId());
            if (g != null)
                rented.computeIfAbsent(g, x -> new PriceDistribution()).add(r.gpuPrice(), r.gpus());
        }
        List<MarketSnapshot> out = new ArrayList<>();
        counts.forEach((g, c) -> {
            if (c[0] + c[1] == 0) return; // an unlisted idle machine is not part of the market
            out.add(new MarketSnapshot(
                    now,
                    g.gpuName(),
                    g.verified(),
                    g.datacenter(),
                    g.bucket(),
                    c[0],
                    c[1],
                    rented.getOrDefault(g, new PriceDistribution()).text(),
                    avail.get(g).text()));
        });
        return out;
    }

    /** Per GPU model (name order), the snapshot rows the filter admits summed up. */
    public static List<Figures> figures(Collection<MarketSnapshot> rows, MarketFilter filter) {
        Map<String, List<MarketSnapshot>> byName = new TreeMap<>();
        for (MarketSnapshot s : rows)
            if (filter.admits(s))
                byName.computeIfAbsent(s.gpuName(), n -> new ArrayList<>()).add(s);
        List<Figures> out = new ArrayList<>();
        byName.forEach((name, list) -> out.add(sum(name, list)));
        return out;
    }

    /**
     * The series of the named GPU models (all when {@code names} is empty) between {@code from} and {@code to}: steps
     * of {@code step} from {@code from}, each the last snapshot taken in it.
     */
    public static List<Series> history(
            Collection<MarketSnapshot> rows, MarketFilter filter, Set<String> names, Instant from, Duration step) {
        Map<String, TreeMap<Long, TreeMap<Instant, List<MarketSnapshot>>>> cut = new TreeMap<>();
        long stepMs = step.toMillis();
        for (MarketSnapshot s : rows) {
            if (!filter.admits(s) || (!names.isEmpty() && !names.contains(s.gpuName()))) continue;
            long slot = Math.floorDiv(s.takenAt().toEpochMilli() - from.toEpochMilli(), stepMs);
            cut.computeIfAbsent(s.gpuName(), n -> new TreeMap<>())
                    .computeIfAbsent(slot, x -> new TreeMap<>())
                    .computeIfAbsent(s.takenAt(), x -> new ArrayList<>())
                    .add(s);
        }
        List<Series> out = new ArrayList<>();
        cut.forEach((name, slots) -> {
            List<Instant> at = new ArrayList<>();
            List<Figures> figures = new ArrayList<>();
            slots.values().forEach(byTime -> {
                var last = byTime.lastEntry();
                at.add(last.getKey());
                figures.add(sum(name, last.getValue()));
            });
            out.add(new Series(name, at, figures));
        });
        return out;
    }

    private static Figures sum(String name, List<MarketSnapshot> list) {
        int rv = 0, av = 0, ru = 0, au = 0;
        PriceDistribution rp = new PriceDistribution(), ap = new PriceDistribution();
        for (MarketSnapshot s : list) {
            if (s.verified()) {
                rv += s.rented();
                av += s.available();
            } else {
                ru += s.rented();
                au += s.available();
            }
            rp.addAll(PriceDistribution.parse(s.rentedPrices()));
            ap.addAll(PriceDistribution.parse(s.availPrices()));
        }
        return new Figures(name, rv, av, ru, au, rp, ap);
    }
}
