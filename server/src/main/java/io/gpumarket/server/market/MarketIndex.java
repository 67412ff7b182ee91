package io.gpumarket.server.market;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.search.OfferIndex;
import io.gpumarket.store.Store;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The in-memory offer index the search routes read. Built from the store on start; after every change to a
 * machine, its listing or its rentals, the writer re-reads that machine from the store and swaps in a new
 * snapshot. One writer at a time (this monitor); readers take the current snapshot without locking, so a search
 * never waits for a write. Machines are indexed with their current minimum bid ({@link BidPrices}).
 */
public final class MarketIndex {
    private final Store store;
    private final GpuCatalog catalog;
    private volatile OfferIndex snapshot;
    /** GPU models of every machine registered, for the GPU name list (models outside the catalog included). */
    private final Set<String> gpuNames = new ConcurrentSkipListSet<>();

    public MarketIndex(Store store, GpuCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
        rebuild();
    }

    public OfferIndex snapshot() {
        return snapshot;
    }

    public Set<String> gpuNamesSeen() {
        return gpuNames;
    }

    public GpuCatalog catalog() {
        return catalog;
    }

    public synchronized void rebuild() {
        Map<Long, List<Instance>> bids = new HashMap<>();
        for (Instance i : store.repos().instances().liveBids()) bids.computeIfAbsent(i.machineId(), id -> new ArrayList<>()).add(i);
        List<Machine> machines = new ArrayList<>();
        for (Machine m : store.repos().machines().all()) machines.add(BidPrices.current(m, bids.getOrDefault(m.id(), List.of())));
        List<OfferSlot> slots = store.repos().offers().active();
        snapshot = OfferIndex.build(catalog, machines, slots);
        machines.forEach(m -> gpuNames.add(m.spec().gpuName()));
    }

    /** Re-reads one machine (after its transaction committed) and publishes the new snapshot. */
    public synchronized void refresh(long machineId) {
        Optional<Machine> machine = store.repos().machines().find(machineId).map(m -> BidPrices.current(m,
                store.repos().instances().liveOnMachine(machineId).stream().filter(Instance::bid).toList()));
        machine.ifPresent(m -> gpuNames.add(m.spec().gpuName()));
        snapshot = machine.isEmpty() ? snapshot.withoutMachine(machineId)
                : snapshot.withMachine(machine.get(), store.repos().offers().activeFor(machineId));
    }
}
