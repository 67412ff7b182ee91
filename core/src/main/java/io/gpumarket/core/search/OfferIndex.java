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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An immutable snapshot of every active offer, searchable with the DSL. The server keeps the current snapshot
 * in a volatile field with a single writer that swaps in {@link #withMachine} / {@link #withoutMachine}
 * results, so searches never wait for updates and always see one consistent market.
 *
 * <p>Offers are partitioned by {@code gpu_name} and stored column by column ({@link Partition}); an update
 * splices only the partition(s) of the changed machine. A search prepares each condition once and binds it to
 * each partition; conditions that hold for all or none of a partition (its GPU name above all) skip it or
 * drop out before any row is looked at; the scan starts from the rows of the wanted bundle sizes; the other
 * conditions are tight loops over a shrinking selection of rows; the page is chosen with a bounded heap, and
 * only the page is rendered as JSON objects.
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
        List<Condition> conditions = query.conditions();
        int[] eliminated = new int[conditions.size()];
        int[] failing = new int[conditions.size()];
        TopK top = new TopK(query.order(), query.limit(), prices);
        int matched = 0;
        // Conditions on num_gpus pick the rows a scan starts from (Partition#rows) instead of filtering them.
        List<NumTest> sizeTests = new ArrayList<>();
        RowFilter.Prepared[] prepared = new RowFilter.Prepared[conditions.size()];
        for (int i = 0; i < prepared.length; i++) {
            Condition c = conditions.get(i);
            boolean bySize = c.field().equals("num_gpus") && !query.explain();
            if (bySize) sizeTests.add(new NumTest(c));
            prepared[i] = bySize ? RowFilter.Prepared.ALREADY_APPLIED : new RowFilter.Prepared(c);
        }
        for (Partition p : partitions.values()) {
            RowFilter[] filters = bind(prepared, p, prices, query.explain());
            if (filters == null) continue;
            int[] rows = p.rows(sizeTests);
            int n = query.explain() ? funnel(filters, rows, eliminated, failing, p) : filter(filters, rows);
            matched += n;
            if (n > 0) top.add(p, rows, n);
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (TopK.Candidate c : top.best()) {
            Partition p = c.partition;
            OfferView view = new OfferView(p.machines[p.machineOf[c.row]], p.slots[c.row], p.model);
            LinkedHashMap<String, Object> json = OfferFields.render(view, prices);
            json.put("rn", page.size() + 1); // the row in the page, which only the page knows
            page.add(json);
        }
        return new SearchResult(page, query.explain() ? explain(conditions, eliminated, failing, matched) : null);
    }

    /**
     * The conditions bound to a partition; null when one of them excludes it whole. Cheap ones are bound first
     * so that a partition of the wrong GPU is skipped before anything else is looked at (not when explaining:
     * the funnel needs every count).
     */
    private static RowFilter[] bind(RowFilter.Prepared[] prepared, Partition p, PriceContext prices, boolean explain) {
        RowFilter[] filters = new RowFilter[prepared.length];
        for (int i = 0; i < prepared.length; i++) {
            if (explain || !prepared[i].cheapToBind()) continue;
            filters[i] = prepared[i].bind(p, prices);
            if (filters[i] == RowFilter.NONE) return null;
        }
        for (int i = 0; i < prepared.length; i++) {
            if (filters[i] == null) filters[i] = prepared[i].bind(p, prices);
            if (filters[i] == RowFilter.NONE && !explain) return null;
        }
        return filters;
    }

    /** Runs the filters that can drop rows, in query order, until none are left. */
    private static int filter(RowFilter[] filters, int[] rows) {
        int n = rows.length;
        for (RowFilter f : filters) {
            if (f == RowFilter.ALL) continue;
            n = f.apply(rows, n);
            if (n == 0) break;
        }
        return n;
    }

    /** Runs every filter in query order, counting what each removes, and each once more on its own. */
    private static int funnel(RowFilter[] filters, int[] rows, int[] eliminated, int[] failing, Partition p) {
        int n = rows.length;
        for (int i = 0; i < filters.length; i++) {
            int before = n;
            n = filters[i].apply(rows, n);
            eliminated[i] += before - n;
            failing[i] += p.offers() - filters[i].apply(p.rows(List.of()), p.offers());
        }
        return n;
    }

    private Explain explain(List<Condition> conditions, int[] eliminated, int[] failing, int matched) {
        List<Explain.Step> steps = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            Condition c = conditions.get(i);
            steps.add(new Explain.Step(c.key(), c.field(), c.op().wire(), c.raw(), eliminated[i], failing[i]));
        }
        return new Explain(size, steps, matched);
    }
}
