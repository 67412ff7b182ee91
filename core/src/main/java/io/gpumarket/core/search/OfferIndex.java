package io.gpumarket.core.search;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.catalog.GpuModel;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferFields;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.offer.OfferView;
import io.gpumarket.core.offer.PriceContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of every active offer, searchable with the DSL. The server keeps the current snapshot
 * in a volatile field with a single writer that swaps in {@link #withMachine} / {@link #withoutMachine}
 * results, so searches never wait for updates and always see one consistent market.
 *
 * <p>Offers are partitioned by {@code gpu_name} and stored column by column ({@link Partition}), with each
 * column's bounds ({@link ZoneMap}) and the rows grouped by bundle size, in row and in price order
 * ({@link SizeGroups}); an update splices only the partition(s) of the changed machine. A search prepares each
 * condition once and binds it to each partition; conditions that hold for all or none of a partition (its GPU
 * name, or {@code gpu_ram >= 40000} against its bounds) skip it or drop out before any row is looked at. The
 * page is then found by looking at as few rows as the sort order allows ({@link PageFinder}), or by a full
 * count when the query asks for an explanation ({@link Funnel}); it is kept in a bounded heap ({@link TopK}),
 * and only the page is rendered as JSON objects.
 */
public final class OfferIndex {
    private final GpuCatalog catalog;
    private final Map<String, Partition> partitions;
    private final int size;

    private OfferIndex(GpuCatalog catalog, Map<String, Partition> partitions) {
        this.catalog = catalog;
        this.partitions = partitions;
        this.size = partitions.values().stream().mapToInt(Partition::offers).sum();
    }

    public static OfferIndex empty(GpuCatalog catalog) {
        return new OfferIndex(catalog, Map.of());
    }

    /**
     * The offers of the given machines: each listed machine offers its slots; slots of unlisted or unknown
     * machines are left out.
     */
    public static OfferIndex build(GpuCatalog catalog, Collection<Machine> machines, Collection<OfferSlot> slots) {
        Map<Long, List<OfferSlot>> slotsByMachine = new HashMap<>();
        for (OfferSlot s : slots) slotsByMachine.computeIfAbsent(s.machineId(), k -> new ArrayList<>()).add(s);
        Map<String, List<Machine>> machinesByGpu = new TreeMap<>();
        for (Machine m : machines) machinesByGpu.computeIfAbsent(m.spec().gpuName(), k -> new ArrayList<>()).add(m);
        Map<String, Partition> partitions = new TreeMap<>();
        machinesByGpu.forEach((gpu, group) -> {
            GpuModel model = catalog.model(gpu);
            List<MachineRow> rows = new ArrayList<>();
            for (Machine m : group) {
                MachineRow row = MachineRow.of(m, slotsByMachine.getOrDefault(m.id(), List.of()), model);
                if (row != null) rows.add(row);
            }
            rows.sort(Comparator.comparingLong(r -> r.machine().id()));
            Partition p = Partition.build(gpu, model, rows);
            if (p != null) partitions.put(gpu, p);
        });
        return new OfferIndex(catalog, partitions);
    }

    /** This index with the machine's offers replaced by these slots; an unlisted machine or no slots removes them. */
    public OfferIndex withMachine(Machine machine, List<OfferSlot> slots) {
        String gpu = machine.spec().gpuName();
        MachineRow row = MachineRow.of(machine, slots, catalog.model(gpu));
        Map<String, Partition> next = new TreeMap<>(partitions);
        // The machine may have moved partitions (its GPU name changed): take it out of any other one.
        for (Partition p : partitions.values()) {
            if (!p.gpuName.equals(gpu) && p.contains(machine.id())) put(next, p.gpuName, p.replace(machine.id(), null));
        }
        Partition current = partitions.get(gpu);
        if (current != null) {
            put(next, gpu, current.replace(machine.id(), row));
        } else if (row != null) {
            put(next, gpu, Partition.build(gpu, catalog.model(gpu), List.of(row)));
        }
        return new OfferIndex(catalog, next);
    }

    public OfferIndex withoutMachine(long machineId) {
        Map<String, Partition> next = null;
        for (Partition p : partitions.values()) {
            if (!p.contains(machineId)) continue;
            if (next == null) next = new TreeMap<>(partitions);
            put(next, p.gpuName, p.replace(machineId, null));
        }
        return next == null ? this : new OfferIndex(catalog, next);
    }

    private static void put(Map<String, Partition> partitions, String gpu, Partition p) {
        if (p == null) partitions.remove(gpu);
        else partitions.put(gpu, p);
    }

    /** Offers in the index. */
    public int size() {
        return size;
    }

    public SearchResult search(OfferQuery query, SearchContext context) {
        PriceContext prices = context.priceContext(query);
        TopK top = new TopK(query.order(), query.limit(), prices);
        Explain explain = query.explain() ? Funnel.run(partitions.values(), size, query, prices, top) : null;
        if (!query.explain()) PageFinder.run(partitions.values(), query, prices, top);
        List<Map<String, Object>> page = new ArrayList<>();
        for (TopK.Candidate c : top.best()) {
            Partition p = c.partition;
            OfferView view = new OfferView(p.machines[p.machineOf[c.row]], p.slots[c.row], p.model);
            page.add(OfferFields.renderRow(view, prices, page.size() + 1)); // rn: the row in the page, which only the page knows
        }
        return new SearchResult(page, explain);
    }

}
