package io.gpumarket.server.billing;

import io.gpumarket.core.billing.Charges;
import io.gpumarket.core.billing.HostPresence;
import io.gpumarket.core.billing.ReservedDeposit;
import io.gpumarket.core.billing.UsageCursor;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeCharge;
import io.gpumarket.store.BillingRepo;
import io.gpumarket.store.DepositRepo;
import io.gpumarket.store.Posting;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metering loop's tick: charges every contract from the watermark to now, in one transaction that also moves
 * the watermark. The transaction holds the meter lock, so no status change, contact or new contract is recorded
 * while it reads; and the store records every later one after the new watermark. A tick that fails anywhere rolls
 * back whole, so the next one starts from the same watermark: nothing is lost and nothing is charged twice. Each
 * tick posts, per renter, one {@code charge} for the sum of their contracts' usage; per host, one {@code earning}
 * for what those contracts pay and one {@code fee} for the platform's cut, all created at the tick's end. That the
 * watermark moves from where the tick read it, under the meter lock and in the same transaction as the entries, is
 * what makes an interval impossible to post twice (a per-entry idempotency key would cost a third index update
 * per entry, and a tick appends tens of thousands).
 *
 * <p>Each contract's charge is the difference of two cumulative charges (at the watermark and at now), each floored
 * once from the usage ({@code ContractTerms.charges}), so any split of time into ticks charges exactly what one tick
 * over the whole would.
 *
 * <p>One contract never stops the books: a contract that cannot be priced (a charge that overflows, or more than a
 * contract may cost) is set aside, durably and in the tick's transaction, and charged no further; the tick goes on
 * for every other contract and the watermark moves (docs/billing.md, "Contracts set aside").
 */
public final class Meter {
    private static final Logger LOG = LoggerFactory.getLogger(Meter.class);
    private final Store store;
    private final Duration unknownAfter;
    private final Clock clock;
    private final Runnable beforeTick;
    private MeterBook book;
    /** The latest contract move the book was built after ({@code contract_moves}); a newer one rebuilds it. */
    private long movesSeen = -1;
    /** Owners of the volumes the last tick charged (credit checks see them as paying owners). */
    private Set<Long> volumeOwners = Set.of();

    public Meter(Store store, Duration unknownAfter, Clock clock) {
        this(store, unknownAfter, clock, () -> {});
    }

    /**
     * @param beforeTick run (and committed) just before each tick: writes the heartbeats the server holds in memory
     *                   ({@code LastSeen.flush}), so the tick reads every contact heard before it. Not inside the
     *                   tick's transaction: under the exclusive meter lock, writing machine rows would wait for a
     *                   rent that holds its machine's row and waits for the (shared) meter lock — a deadlock on
     *                   PostgreSQL. A contact heard between the two is recorded after the tick's watermark, as
     *                   every write racing with a tick is ({@code MeterFence}).
     */
    public Meter(Store store, Duration unknownAfter, Clock clock, Runnable beforeTick) {
        this.store = store;
        this.unknownAfter = unknownAfter;
        this.clock = clock;
        this.beforeTick = beforeTick;
    }

    /** One tick; its postings are committed when it returns. Acting on the balances is the caller's next step. */
    public synchronized Tick tick() {
        beforeTick.run();
        Tick tick;
        try {
            tick = store.inTransaction(tx -> {
                tx.billing().lockMeter();
                Instant now = clock.instant();
                Instant from = tx.billing().chargedTo();
                Map<Long, Instant> silent = MeterBook.silentMachines(tx.billing(), now, unknownAfter);
                // a contract that moved to another machine (docs/migrate.md) left its past to an archive row: the
                // book is rebuilt from the store, which prices both from their own histories
                long moves = tx.migrations().lastMove();
                if (book == null || !book.watermark.equals(from) || moves != movesSeen) {
                    book = MeterBook.load(tx.billing(), from, silent);
                    movesSeen = moves;
                } else book.catchUp(tx.billing());
                if (!now.isAfter(from)) return new Tick(from, from, 0, 0, 0, 0, 0, 0, 0);
                // reserved contracts' deposits, drawn first (docs/billing.md "Reserved instances")
                List<Long> ids = new ArrayList<>();
                for (MeteredInstance m : book.contracts()) ids.add(m.contract.id());
                Map<Long, DepositRepo.Deposit> deposits = tx.deposits().funded(ids);
                Map<Long, DepositRepo.Deposit> drawn = new HashMap<>();
                int metered = plan(now, silent, deposits, drawn);
                for (DepositRepo.Deposit d : drawn.values()) tx.deposits().save(d, now);
                setAside(tx.billing(), now);
                List<Posting> postings = new ArrayList<>(postings(from, now));
                long volumeCharges = volumePostings(tx, from, now, postings);
                tx.billing().post(from, now, postings);
                // volumes: charged to their renters and earned by their hosts whole (no platform fee on storage)
                long charged = volumeCharges;
                long earned = volumeCharges;
                long fees = 0;
                for (Account a : book.accounts()) {
                    charged = saturated(charged, a.charged);
                    earned = saturated(earned, a.earned);
                    fees = saturated(fees, a.fees);
                }
                return new Tick(from, now, metered, postings.size(), charged, earned, fees, 0, 0);
            });
        } catch (RuntimeException e) {
            book = null; // it may be ahead of the store now; rebuilt from the store next tick
            throw e;
        }
        if (tick.to().isAfter(tick.from())) book.committed(tick.to());
        return tick;
    }

    private static long saturated(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /**
     * Charges every volume live in {@code (from, to]} (docs/volumes.md): per renter one {@code charge}, per host one
     * {@code earning}, appended to {@code postings}. Each volume's charge is the difference of two cumulative charges
     * ({@link VolumeCharge}), so ticks add up exactly. Answers the total charged.
     */
    private long volumePostings(Repos tx, Instant from, Instant to, List<Posting> postings) {
        Map<Long, long[]> renters = new TreeMap<>(); // owner → {amount, volumes}
        Map<Long, long[]> hosts = new TreeMap<>();
        Map<Long, Long> hostOf = new HashMap<>();
        Set<Long> owners = new HashSet<>();
        long total = 0;
        for (Volume v : tx.volumes().liveBetween(from, to)) {
            if (v.live()) owners.add(v.ownerId());
            long amount;
            try {
                amount = VolumeCharge.between(v, from, to);
            } catch (ArithmeticException e) {
                LOG.error("volume {} cannot be priced for {} to {}: {}", v.id(), from, to, e.getMessage());
                continue;
            }
            if (amount == 0) continue;
            Long host = hostOf.computeIfAbsent(
                    v.machineId(),
                    id -> tx.machines().find(id).map(m -> m.hostId()).orElse(-1L));
            long[] r = renters.computeIfAbsent(v.ownerId(), k -> new long[2]);
            r[0] = saturated(r[0], amount);
            r[1]++;
            if (host >= 0) {
                long[] h = hosts.computeIfAbsent(host, k -> new long[2]);
                h[0] = saturated(h[0], amount);
                h[1]++;
            }
            total = saturated(total, amount);
        }
        String when = "from " + from;
        renters.forEach((user, r) ->
                postings.add(new Posting(user, "charge", -r[0], "storage of " + r[1] + " volume(s) " + when, null)));
        hosts.forEach((user, h) -> postings.add(
                new Posting(user, "earning", h[0], "volume earnings of " + h[1] + " volume(s) " + when, null)));
        volumeOwners = owners;
        return total;
    }

    /** Owners of contracts that still cost something (those in the meter's book), for credit checks. */
    public synchronized Set<Long> payingOwners() {
        if (book == null) return Set.of();
        Set<Long> owners = new HashSet<>(volumeOwners);
        for (MeteredInstance m : book.contracts()) owners.add(m.contract.ownerId());
        return owners;
    }

    /**
     * Prices every contract at {@code to} and sums the differences into its renter's and host's accounts; each
     * contract keeps its new cursor aside until the tick commits. Returns how many contracts it priced.
     */
    private int plan(
            Instant to,
            Map<Long, Instant> silent,
            Map<Long, DepositRepo.Deposit> deposits,
            Map<Long, DepositRepo.Deposit> drawn) {
        book.accounts().forEach(Account::reset);
        boolean anyoneSilent = !silent.isEmpty() || book.anySilences();
        int metered = 0;
        long tickNo = book.committedTick + 1;
        for (MeteredInstance m : book.settled()) {
            if (m.cursor.at().isAfter(to)) continue; // created after this tick's now (a clock that stepped back)
            HostPresence host = anyoneSilent ? book.presence(m.contract.machineId(), silent) : HostPresence.ALWAYS;
            UsageCursor next;
            Charges total;
            long fees;
            long amount;
            long renterCharged;
            long hostEarned;
            long hostFees;
            DepositRepo.Deposit deposit = deposits.get(m.contract.id());
            ReservedDeposit.Draw draw = null;
            // Every sum is checked: a contract whose charges overflow (or pass the most a contract may cost) cannot
            // be priced, and is set aside instead of stopping the tick for everyone else.
            try {
                next = m.cursor.advance(to, m.pending, m.pendingTraffic, host, m.life);
                total = m.terms.charges(next.usage(m.life));
                total.checkedTotal();
                Charges delta = total.minus(m.charged);
                if (delta.gpu() < 0 || delta.disk() < 0 || delta.bwu() < 0 || delta.bwd() < 0) {
                    throw new IllegalStateException(
                            "instance " + m.contract.id() + " would be charged a negative amount " + delta + " for "
                                    + m.cursor.at() + " to " + to + "; its recorded history changed");
                }
                fees = m.terms.feePpm() == 0 ? 0 : m.terms.fees(total).total();
                amount = delta.total();
                // a reserved contract pays the discounted price, from its deposit first; its host grants the discount
                if (deposit != null && amount > 0) draw = deposit.state().draw(amount);
                renterCharged = Math.addExact(m.renter.charged, draw == null ? amount : draw.fromCredit());
                hostEarned = Math.addExact(m.host.earned, draw == null ? amount : amount - draw.discount());
                hostFees = Math.addExact(m.host.fees, Math.subtractExact(fees, m.chargedFees));
            } catch (ArithmeticException | IllegalArgumentException e) {
                book.setAside(m.contract.id(), book.watermark, e);
                continue;
            }
            m.plannedTick = tickNo;
            m.nextCursor = next;
            m.nextCharged = total;
            m.nextFees = fees;
            metered++;
            if (draw != null) {
                drawn.put(
                        m.contract.id(),
                        new DepositRepo.Deposit(
                                deposit.instanceId(),
                                deposit.ownerId(),
                                draw.next(),
                                deposit.deposited(),
                                deposit.monthsPpm(),
                                deposit.refunded(),
                                deposit.createdAt()));
            }
            if (amount == 0) continue;
            m.renter.charged = renterCharged;
            m.renter.instances++;
            m.host.earned = hostEarned;
            m.host.fees = hostFees;
            m.host.contracts++;
        }
        return metered;
    }

    /**
     * Records the contracts found unpriceable in this tick as set aside, in its transaction, and tells the operator
     * once (the log, and {@code GET /api/v0/admin/anomalies/}).
     */
    private void setAside(BillingRepo billing, Instant now) {
        for (MeterBook.Broken b : book.takeBroken()) {
            if (billing.setAside(b.instanceId(), now, b.chargedTo(), b.reason())) {
                LOG.error(
                        "instance {} cannot be priced and is set aside, charged up to {}: {}; every other contract is"
                                + " still charged (gpumarket admin anomalies)",
                        b.instanceId(),
                        b.chargedTo(),
                        b.reason());
            }
        }
    }

    /** Per renter one charge, per host one earning and (if any) one fee; in user order. */
    private List<Posting> postings(Instant from, Instant to) {
        String when = "from " + from; // the entry's created_at is where it ends
        List<Account> touched = new ArrayList<>();
        for (Account a : book.accounts()) if (a.charged != 0 || a.earned != 0) touched.add(a);
        touched.sort(Comparator.comparingLong(a -> a.userId));
        List<Posting> out = new ArrayList<>(touched.size() * 2);
        for (Account a : touched) {
            if (a.charged != 0) {
                out.add(new Posting(
                        a.userId, "charge", -a.charged, "usage of " + a.instances + " instance(s) " + when, null));
            }
            if (a.earned != 0) {
                out.add(new Posting(
                        a.userId, "earning", a.earned, "earnings of " + a.contracts + " contract(s) " + when, null));
            }
            if (a.fees != 0) out.add(new Posting(a.userId, "fee", -a.fees, "platform fee " + when, null));
        }
        return out;
    }
}
