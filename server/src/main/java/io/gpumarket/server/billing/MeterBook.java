package io.gpumarket.server.billing;

import io.gpumarket.core.billing.Charges;
import io.gpumarket.core.billing.History;
import io.gpumarket.core.billing.HostPresence;
import io.gpumarket.core.billing.Silence;
import io.gpumarket.core.billing.StatusChange;
import io.gpumarket.core.billing.TrafficSample;
import io.gpumarket.core.billing.UsageCursor;
import io.gpumarket.store.BillingRepo;
import io.gpumarket.store.MeteredContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The meter's memory between ticks: every contract not yet wholly charged, with its usage at the watermark. It is
 * only a cache of what the store says: built from the store's history when the meter starts (or after any failed
 * tick), then kept current from what was recorded since (new contracts, status changes, silences, traffic: rows with
 * ids above the last ones read). A tick therefore reads only what changed, plus which machines are silent, and
 * never one query per contract.
 *
 * <p>Not thread-safe: the meter uses it under its own lock, inside the tick's transaction.
 */
final class MeterBook {
    Instant watermark;
    /** How many ticks this book has seen commit; a contract's planned cursor of a tick up to this one is settled. */
    long committedTick;

    private final Map<Long, MeteredInstance> contracts = new HashMap<>();
    private final Map<Long, List<Silence>> silences = new HashMap<>();
    private final Map<Long, Account> accounts = new HashMap<>();
    private long lastContract;
    private long lastChange;
    private long lastSilence;
    private long lastSample;
    /** Contracts set aside (in the store, or found unpriceable by this book): never metered again. */
    private final java.util.Set<Long> aside = new java.util.HashSet<>();
    /** Contracts found unpriceable and not yet recorded as set aside: the tick records them ({@link #takeBroken}). */
    private final List<Broken> broken = new ArrayList<>(0);

    /** A contract that cannot be priced, charged up to {@code chargedTo}, and why. */
    record Broken(long instanceId, Instant chargedTo, String reason) {}

    private MeterBook(Instant watermark) {
        this.watermark = watermark;
    }

    /**
     * Takes the contract out of the book for good: it cannot be priced ({@code why}), so it is charged no further
     * than the watermark and the tick goes on without it.
     */
    void setAside(long instanceId, Instant chargedTo, RuntimeException why) {
        aside.add(instanceId);
        broken.add(new Broken(instanceId, chargedTo, why.getClass().getSimpleName() + ": " + why.getMessage()));
    }

    /** Contracts set aside since the last call, for the tick to record (then they are forgotten here). */
    List<Broken> takeBroken() {
        List<Broken> out = List.copyOf(broken);
        broken.clear();
        for (Broken b : out) contracts.remove(b.instanceId());
        return out;
    }

    /**
     * Rebuilds the book at the store's watermark from the whole recorded history of the contracts not yet wholly
     * charged (a cold start: reads every status change of those contracts once).
     *
     * @param silentFrom machines silent now, with when that silence began
     */
    static MeterBook load(BillingRepo billing, Instant watermark, Map<Long, Instant> silentFrom) {
        MeterBook book = new MeterBook(watermark);
        billing.setAside().forEach(a -> book.aside.add(a.instanceId()));
        List<MeteredContract> open = billing.unmetered(watermark);
        Map<Long, List<StatusChange>> changes = new HashMap<>();
        Map<Long, List<TrafficSample>> traffic = new HashMap<>();
        for (StatusChange c : billing.changesOfUnmetered(watermark)) {
            changes.computeIfAbsent(c.instanceId(), id -> new ArrayList<>()).add(c);
            book.lastChange = Math.max(book.lastChange, c.id());
        }
        for (TrafficSample s : billing.trafficOfUnmetered(watermark)) {
            traffic.computeIfAbsent(s.instanceId(), id -> new ArrayList<>()).add(s);
            book.lastSample = Math.max(book.lastSample, s.id());
        }
        Instant earliest = open.stream()
                .map(MeteredContract::createdAt)
                .min(Instant::compareTo)
                .orElse(watermark);
        for (Silence s : billing.silencesEndingAfter(earliest)) {
            book.silences
                    .computeIfAbsent(s.machineId(), id -> new ArrayList<>())
                    .add(s);
            book.lastSilence = Math.max(book.lastSilence, s.id());
        }
        for (MeteredContract c : open) {
            book.lastContract = Math.max(book.lastContract, c.id());
            if (book.aside.contains(c.id())) continue;
            try {
                book.load(c, changes, traffic, silentFrom);
            } catch (ArithmeticException | IllegalArgumentException e) {
                // its history up to the watermark cannot be priced (recorded before claims were checked): aside
                book.setAside(c.id(), watermark, e);
            }
        }
        return book;
    }

    /** Puts one open contract in the book, priced at the watermark from its whole recorded history. */
    private void load(
            MeteredContract c,
            Map<Long, List<StatusChange>> changes,
            Map<Long, List<TrafficSample>> traffic,
            Map<Long, Instant> silentFrom) {
        HostPresence host = presence(c.machineId(), silentFrom);
        History h = new History(
                c.id(),
                c.ownerId(),
                c.machineId(),
                c.hostId(),
                c.terms(),
                c.lifetime(),
                changes.getOrDefault(c.id(), List.of()),
                traffic.getOrDefault(c.id(), List.of()),
                host);
        // Created at the watermark itself counts as charged up to it: the tick that set the watermark saw what
        // was recorded at that instant (status, traffic) and charged it.
        UsageCursor at = UsageCursor.start(c.createdAt());
        Charges charged = Charges.ZERO;
        if (!c.createdAt().isAfter(watermark)) {
            at = at.advance(watermark, h.changes(), h.traffic(), host, h.life());
            charged = c.terms().charges(at.usage(h.life()));
            charged.checkedTotal();
        }
        MeteredInstance m = add(c, at, charged);
        for (StatusChange ch : h.changes()) if (!ch.at().isBefore(m.cursor.at())) m.add(ch);
        for (TrafficSample s : h.traffic()) if (!s.at().isBefore(m.cursor.at())) m.add(s);
    }

    /**
     * Takes in what was recorded since the last read: new contracts, status changes, silences, traffic. A contract
     * or change recorded at or before the watermark would rewrite history already charged; the store's fence makes
     * that impossible, so it is refused loudly instead of being metered wrongly.
     */
    void catchUp(BillingRepo billing) {
        for (MeteredContract c : billing.contractsAfter(lastContract)) {
            lastContract = Math.max(lastContract, c.id());
            if (c.lifetime().endedBy(watermark)) continue;
            if (!c.createdAt().isAfter(watermark)) {
                throw new IllegalStateException("instance " + c.id() + " was recorded as created at " + c.createdAt()
                        + ", at or before the meter's watermark " + watermark);
            }
            if (aside.contains(c.id())) continue;
            try {
                add(c, UsageCursor.start(c.createdAt()), Charges.ZERO);
            } catch (ArithmeticException | IllegalArgumentException e) {
                setAside(c.id(), watermark, e); // terms that cannot be priced at all
            }
        }
        for (StatusChange ch : billing.changesAfter(lastChange)) {
            lastChange = Math.max(lastChange, ch.id());
            MeteredInstance m = contracts.get(ch.instanceId());
            if (m == null) continue; // wholly charged already
            if (!ch.at().isAfter(watermark)) {
                throw new IllegalStateException("instance " + ch.instanceId() + " has a status change at " + ch.at()
                        + ", at or before the meter's watermark " + watermark);
            }
            m.add(ch);
        }
        for (Silence s : billing.silencesAfter(lastSilence)) {
            lastSilence = Math.max(lastSilence, s.id());
            silences.computeIfAbsent(s.machineId(), id -> new ArrayList<>()).add(s);
        }
        for (TrafficSample s : billing.trafficAfter(lastSample)) {
            lastSample = Math.max(lastSample, s.id());
            MeteredInstance m = contracts.get(s.instanceId());
            if (m != null) m.add(s);
        }
    }

    private MeteredInstance add(MeteredContract c, UsageCursor at, Charges charged) {
        MeteredInstance m = new MeteredInstance(c, at, charged, account(c.ownerId()), account(c.hostId()));
        contracts.put(c.id(), m);
        return m;
    }

    private Account account(long userId) {
        return accounts.computeIfAbsent(userId, Account::new);
    }

    Collection<MeteredInstance> contracts() {
        return contracts.values();
    }

    Collection<Account> accounts() {
        return accounts.values();
    }

    /** Whether any machine has a recorded silence the next ticks may still meet. */
    boolean anySilences() {
        return !silences.isEmpty();
    }

    HostPresence presence(long machineId, Map<Long, Instant> silentFrom) {
        List<Silence> recorded = silences.get(machineId);
        Instant open = silentFrom.get(machineId);
        if (recorded == null && open == null) return HostPresence.ALWAYS;
        return new HostPresence(recorded == null ? List.of() : recorded, open);
    }

    /**
     * The contracts a tick prices: each first settles the cursor of the last committed tick, and contracts that
     * ended by the watermark (wholly charged) leave the book as they are met.
     */
    Iterable<MeteredInstance> settled() {
        return () -> new java.util.Iterator<>() {
            private final java.util.Iterator<MeteredInstance> all =
                    contracts.values().iterator();
            private MeteredInstance next = advance();

            private MeteredInstance advance() {
                while (all.hasNext()) {
                    MeteredInstance m = all.next();
                    m.settle(committedTick);
                    if (m.nextCursor == null && m.life.endedBy(watermark)) {
                        all.remove();
                        continue;
                    }
                    return m;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public MeteredInstance next() {
                MeteredInstance m = next;
                next = advance();
                return m;
            }
        };
    }

    /**
     * After a committed tick to {@code to}: its planned cursors take effect (lazily, see {@link #settled}); silences
     * that ended by then leave, and so do accounts nothing refers to.
     */
    void committed(Instant to) {
        committedTick++;
        silences.values().forEach(list -> list.removeIf(s -> !s.to().isAfter(to)));
        silences.values().removeIf(List::isEmpty);
        if (accounts.size() > 2 * contracts.size() + 16) {
            Map<Long, Account> used = new HashMap<>();
            for (MeteredInstance m : contracts.values()) {
                used.put(m.renter.userId, m.renter);
                used.put(m.host.userId, m.host);
            }
            accounts.clear();
            accounts.putAll(used);
        }
        watermark = to;
    }

    /** Machines whose agents were last heard from more than {@code unknownAfter} before {@code now}, with when. */
    static Map<Long, Instant> silentMachines(BillingRepo billing, Instant now, Duration unknownAfter) {
        Map<Long, Instant> out = new HashMap<>();
        billing.contactsBefore(now.minus(unknownAfter))
                .forEach((machine, seen) -> out.put(machine, seen.plus(unknownAfter)));
        return out;
    }
}
