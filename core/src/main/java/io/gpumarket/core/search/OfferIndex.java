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
 * in a volatile field and swaps in {@link #withMachine} / {@link #withoutMachine} results, so searches never
 * wait for updates and always see one consistent market.
 *
 * <p>Offers are partitioned by {@code gpu_name}, and each model's machines are cut by id into chunks of a few
 * hundred machines; each chunk is a {@link Partition}, stored column by column, with each column's bounds
 * ({@link ZoneMap}) and the rows grouped by bundle size, in row and in price order ({@link SizeGroups}). An update
 * touches only the chunk of the changed machine (and the short arrays that list the chunks), never its whole GPU
 * model, and within the chunk rewrites the machine's rows in place, sharing every column it does not change
 * (a rent, its end, a new price: see {@link Partition}); only a new machine, a deleted one or new bundle sizes
 * splice the chunk's arrays. A chunk that grows past twice the chunk size is split in two; an empty one goes. A search prepares each condition once and binds it to each chunk;
 * conditions that hold for all or none of a chunk (its GPU name, or {@code gpu_ram >= 40000} against its bounds)
 * skip it or drop out before any row is looked at. The page is then found by looking at as few rows as the sort
 * order allows ({@link PageFinder}), or by a full count when the query asks for an explanation ({@link Funnel});
 * it is kept in a bounded heap ({@link TopK}), and only the page is rendered as JSON objects.
 */
public final class OfferIndex {
    /**
     * Machines per chunk when an index is built. Small enough that copying a chunk on an update costs tens of
     * microseconds; large enough that a search binds its conditions to a few hundred chunks at most.
     */
    public static final int DEFAULT_CHUNK = 512;

    private final GpuCatalog catalog;
    private final int chunk;
    /** Each GPU model's chunks, in ascending machine id order; their id ranges do not overlap. */
    private final Map<String, Partition[]> models;
    /** Every chunk of every model, the order searches visit them. */
    private final List<Partition> partitions;

    private final int size;

    private OfferIndex(GpuCatalog catalog, int chunk, Map<String, Partition[]> models) {
        this.catalog = catalog;
        this.chunk = chunk;
        this.models = models;
        List<Partition> all = new ArrayList<>();
        int n = 0;
        for (Partition[] chunks : models.values()) {
            for (Partition p : chunks) {
                all.add(p);
                n += p.offers();
            }
        }
        this.partitions = List.copyOf(all);
        this.size = n;
    }

    public static OfferIndex empty(GpuCatalog catalog) {
        return new OfferIndex(catalog, DEFAULT_CHUNK, Map.of());
    }

    /**
     * The offers of the given machines: each listed machine offers its slots; slots of unlisted or unknown
     * machines are left out.
     */
    public static OfferIndex build(GpuCatalog catalog, Collection<Machine> machines, Collection<OfferSlot> slots) {
        return build(catalog, machines, slots, DEFAULT_CHUNK);
    }

    /** As {@link #build(GpuCatalog, Collection, Collection)}, with {@code chunk} machines per chunk. */
    public static OfferIndex build(
            GpuCatalog catalog, Collection<Machine> machines, Collection<OfferSlot> slots, int chunk) {
        if (chunk < 1) throw new IllegalArgumentException("chunk must be >= 1, got " + chunk);
        Map<Long, List<OfferSlot>> slotsByMachine = new HashMap<>();
        for (OfferSlot s : slots)
            slotsByMachine
                    .computeIfAbsent(s.machineId(), k -> new ArrayList<>())
                    .add(s);
        Map<String, List<Machine>> machinesByGpu = new TreeMap<>();
        for (Machine m : machines)
            machinesByGpu
                    .computeIfAbsent(m.spec().gpuName(), k -> new ArrayList<>())
                    .add(m);
        Map<String, Partition[]> models = new TreeMap<>();
        machinesByGpu.forEach((gpu, group) -> {
            GpuModel model = catalog.model(gpu);
            List<MachineRow> rows = new ArrayList<>();
            for (Machine m : group) {
                MachineRow row = MachineRow.of(m, slotsByMachine.getOrDefault(m.id(), List.of()), model);
                if (row != null) rows.add(row);
            }
            rows.sort(Comparator.comparingLong(r -> r.machine().id()));
            List<Partition> chunks = new ArrayList<>();
            for (int from = 0; from < rows.size(); from += chunk) {
                chunks.add(Partition.build(gpu, model, rows.subList(from, Math.min(rows.size(), from + chunk))));
            }
            if (!chunks.isEmpty()) models.put(gpu, chunks.toArray(Partition[]::new));
        });
        return new OfferIndex(catalog, chunk, models);
    }

    /** This index with the machine's offers replaced by these slots; an unlisted machine or no slots removes them. */
    public OfferIndex withMachine(Machine machine, List<OfferSlot> slots) {
        String gpu = machine.spec().gpuName();
        MachineRow row = MachineRow.of(machine, slots, catalog.model(gpu));
        Map<String, Partition[]> next = new TreeMap<>(models);
        // The machine may have moved models (its GPU name changed): take it out of any other one.
        boolean changed = false;
        for (Map.Entry<String, Partition[]> e : models.entrySet()) {
            if (e.getKey().equals(gpu)) continue;
            Partition[] chunks = e.getValue();
            int k = chunkOf(chunks, machine.id());
            if (chunks[k].contains(machine.id())) {
                put(next, e.getKey(), replaced(chunks, k, chunks[k].without(machine.id())));
                changed = true;
            }
        }
        Partition[] chunks = models.get(gpu);
        if (chunks != null) {
            int k = chunkOf(chunks, machine.id());
            Partition p = chunks[k].replace(machine.id(), row);
            if (p != chunks[k]) {
                put(next, gpu, replaced(chunks, k, p));
                changed = true;
            }
        } else if (row != null) {
            put(next, gpu, new Partition[] {Partition.build(gpu, catalog.model(gpu), List.of(row))});
            changed = true;
        }
        return changed ? new OfferIndex(catalog, chunk, next) : this;
    }

    public OfferIndex withoutMachine(long machineId) {
        Map<String, Partition[]> next = null;
        for (Map.Entry<String, Partition[]> e : models.entrySet()) {
            Partition[] chunks = e.getValue();
            int k = chunkOf(chunks, machineId);
            if (!chunks[k].contains(machineId)) continue;
            if (next == null) next = new TreeMap<>(models);
            put(next, e.getKey(), replaced(chunks, k, chunks[k].without(machineId)));
        }
        return next == null ? this : new OfferIndex(catalog, chunk, next);
    }

    /** The chunk whose id range holds (or would hold) the machine: the last one starting at or below its id. */
    private static int chunkOf(Partition[] chunks, long machineId) {
        int lo = 0;
        int hi = chunks.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (chunks[mid].machineIds[0] <= machineId) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** The chunks with chunk k replaced by p (null: removed; past twice the chunk size: split in two halves). */
    private Partition[] replaced(Partition[] chunks, int k, Partition p) {
        if (p == null) {
            Partition[] out = new Partition[chunks.length - 1];
            System.arraycopy(chunks, 0, out, 0, k);
            System.arraycopy(chunks, k + 1, out, k, chunks.length - k - 1);
            return out;
        }
        if (p.machines() > 2 * chunk) {
            List<Partition> parts = p.split();
            Partition[] out = new Partition[chunks.length - 1 + parts.size()];
            System.arraycopy(chunks, 0, out, 0, k);
            for (int i = 0; i < parts.size(); i++) out[k + i] = parts.get(i);
            System.arraycopy(chunks, k + 1, out, k + parts.size(), chunks.length - k - 1);
            return out;
        }
        Partition[] out = chunks.clone();
        out[k] = p;
        return out;
    }

    private static void put(Map<String, Partition[]> models, String gpu, Partition[] chunks) {
        if (chunks.length == 0) models.remove(gpu);
        else models.put(gpu, chunks);
    }

    /** Chunks in the index (for tests and the memory figures). */
    int chunks() {
        return partitions.size();
    }

    /** The chunk that holds the machine's rows, or null (for tests). */
    Partition chunkHolding(long machineId) {
        for (Partition p : partitions) if (p.contains(machineId)) return p;
        return null;
    }

    /** Offers in the index. */
    public int size() {
        return size;
    }

    public SearchResult search(OfferQuery query, SearchContext context) {
        PriceContext prices = context.priceContext(query);
        TopK top = new TopK(query.order(), query.limit(), prices);
        Explain explain = query.explain() ? Funnel.run(partitions, size, query, prices, top) : null;
        if (!query.explain()) PageFinder.run(partitions, query, prices, top);
        List<Map<String, Object>> page = new ArrayList<>();
        for (TopK.Candidate c : top.best()) {
            Partition p = c.partition;
            OfferView view = new OfferView(p.machines[p.machineOf[c.row]], p.slots[c.row], p.model);
            page.add(OfferFields.renderRow(
                    view, prices, page.size() + 1)); // rn: the row in the page, which only the page knows
        }
        return new SearchResult(page, explain);
    }
}
