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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory offer index the search routes read. Built from the store on start; after every change to a machine,
 * its listing or its rentals, the machine's entry is replaced and a new snapshot swapped in. Readers take the current
 * snapshot without locking, so a search never waits for a write.
 *
 * <p>A change reaches the index one of two ways. {@link #refresh} re-reads the machine from the store. {@link #publish}
 * takes what a transaction already holds (the machine row it locked and wrote, its offers, its bids) and reads
 * nothing. Writers of different machines never wait for each other's database reads: a machine's reads and publishes
 * are ordered by a lock of its own (one of {@link #STRIPES}), and only the in-memory splice of one chunk
 * ({@link OfferIndex#withMachine}) is done under the one lock that swaps snapshots.
 *
 * <p>Why a published state can be trusted, and when it is not: every change to what a machine offers locks the
 * machine row (renting and releasing compare-and-set its free GPUs, listing updates it, arbitration locks it), so the
 * transactions of one machine commit one after the other. A transaction that will publish takes a {@link #ticket}
 * while it holds that row lock: tickets of one machine's publishing transactions increase in commit order, and the
 * state it publishes is the machine's state at its commit. A re-read takes its ticket before it reads. The index
 * keeps the highest ticket applied per machine; a publish whose ticket is not higher than it (a re-read that may
 * have missed this commit ran meanwhile, or a later commit was published first) is not trusted and re-reads the
 * machine instead. So the entry always ends at the last committed state, and a re-read is paid only on such a race.
 * Machines are indexed with their current minimum bid ({@link BidPrices}).
 */
public final class MarketIndex {
    /** Locks that order one machine's re-reads and publishes (machine id modulo this). */
    static final int STRIPES = 256;

    private final Store store;
    private final GpuCatalog catalog;
    private volatile OfferIndex snapshot;
    /** Held only while one machine's entry is spliced into the snapshot (no I/O under it). */
    private final ReentrantLock swap = new ReentrantLock();

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final AtomicLong tickets = new AtomicLong();
    /** The highest ticket applied per machine since the last rebuild; a rebuild's ticket stands for every machine. */
    private final Map<Long, Long> applied = new ConcurrentHashMap<>();

    private volatile long rebuiltAt;
    /** GPU models of every machine registered, for the GPU name list (models outside the catalog included). */
    private final Set<String> gpuNames = new ConcurrentSkipListSet<>();

    public MarketIndex(Store store, GpuCatalog catalog) {
        this.store = store;
        this.catalog = catalog;
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
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

    /** Re-reads everything (at start); waits for every machine's writers, which start rarely enough. */
    public void rebuild() {
        for (ReentrantLock l : stripes) l.lock();
        try {
            long ticket = ticket();
            Map<Long, List<Instance>> bids = new HashMap<>();
            for (Instance i : store.repos().instances().liveBids())
                bids.computeIfAbsent(i.machineId(), id -> new ArrayList<>()).add(i);
            List<Machine> machines = new ArrayList<>();
            for (Machine m : store.repos().machines().all())
                machines.add(BidPrices.current(m, bids.getOrDefault(m.id(), List.of())));
            List<OfferSlot> slots = store.repos().offers().active();
            OfferIndex built = OfferIndex.build(catalog, machines, slots);
            machines.forEach(m -> gpuNames.add(m.spec().gpuName()));
            swap.lock();
            try {
                snapshot = built;
            } finally {
                swap.unlock();
            }
            applied.clear();
            rebuiltAt = ticket;
        } finally {
            for (int i = STRIPES - 1; i >= 0; i--) stripes[i].unlock();
        }
    }

    /**
     * A ticket for {@link #publish}: take it inside the transaction, after the statement that locked the machine row
     * (so that the tickets of one machine's transactions increase in commit order).
     */
    public long ticket() {
        return tickets.incrementAndGet();
    }

    /** Re-reads one machine (after its transaction committed) and replaces its entry. */
    public void refresh(long machineId) {
        ReentrantLock stripe = stripe(machineId);
        stripe.lock();
        try {
            long ticket = ticket();
            Optional<Machine> machine = store.repos()
                    .machines()
                    .find(machineId)
                    .map(m -> BidPrices.current(
                            m,
                            store.repos().instances().liveOnMachine(machineId).stream()
                                    .filter(Instance::bid)
                                    .toList()));
            List<OfferSlot> slots =
                    machine.isEmpty() ? List.of() : store.repos().offers().activeFor(machineId);
            apply(machineId, machine.orElse(null), slots);
            applied.merge(machineId, ticket, Math::max);
        } finally {
            stripe.unlock();
        }
    }

    /**
     * Replaces one machine's entry with the state its transaction committed, without reading the store; re-reads
     * instead when that state may be older than what the index has seen (see the class comment).
     *
     * @param ticket  from {@link #ticket}, taken in the transaction after the machine row was locked
     * @param machine the machine row as the transaction left it
     * @param live    the machine's live contracts as the transaction left them (only bids matter)
     * @param slots   the machine's active offers as the transaction left them
     */
    public void publish(long ticket, Machine machine, List<Instance> live, List<OfferSlot> slots) {
        ReentrantLock stripe = stripe(machine.id());
        stripe.lock();
        try {
            if (ticket > rebuiltAt && ticket > applied.getOrDefault(machine.id(), 0L)) {
                apply(
                        machine.id(),
                        BidPrices.current(
                                machine, live.stream().filter(Instance::bid).toList()),
                        slots);
                applied.put(machine.id(), ticket);
                return;
            }
        } finally {
            stripe.unlock();
        }
        refresh(machine.id());
    }

    /** Splices the machine's entry (null: gone) into a new snapshot. */
    private void apply(long machineId, Machine machine, List<OfferSlot> slots) {
        if (machine != null) gpuNames.add(machine.spec().gpuName());
        swap.lock();
        try {
            snapshot = machine == null ? snapshot.withoutMachine(machineId) : snapshot.withMachine(machine, slots);
        } finally {
            swap.unlock();
        }
    }

    private ReentrantLock stripe(long machineId) {
        return stripes[(int) Math.floorMod(machineId, (long) STRIPES)];
    }
}
