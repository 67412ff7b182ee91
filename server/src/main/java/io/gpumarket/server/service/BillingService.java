package io.gpumarket.server.service;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.billing.ChargeItems;
import io.gpumarket.core.billing.Charges;
import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.billing.History;
import io.gpumarket.core.billing.ItemCharge;
import io.gpumarket.core.billing.Usage;
import io.gpumarket.core.template.TemplateRef;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeCharge;
import io.gpumarket.store.MeteredContract;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the billing pages show, derived from the same recorded history and rules the meter charges from, and cut
 * at the meter's watermark: a renter's charges per instance and item, a host's earnings per machine and day, and
 * the ledger's payments. Nothing here writes.
 */
public final class BillingService {
    static final long MILLIS_PER_DAY = 86_400_000L;

    /** One instance's charges over [start, end] (what of the asked range it existed and was charged in). */
    /** @param template the template the instance was created from (its charges' {@code metadata.template_id}); null for none */
    public record InstanceCharges(
            MeteredContract contract, Instant start, Instant end, List<ItemCharge> items, TemplateRef template) {
        public long total() {
            return items.stream().mapToLong(ItemCharge::amount).sum();
        }
    }

    /** Net earnings (after the platform's cut) per item, and the cut. */
    public record Earned(Charges net, long fees) {
        static final Earned ZERO = new Earned(Charges.ZERO, 0);

        Earned plus(Earned o) {
            return new Earned(net.plus(o.net), fees + o.fees);
        }
    }

    /** A host's earnings over whole days, per machine and per day (days since the epoch, UTC). */
    public record Earnings(Earned total, Map<Long, Earned> perMachine, Map<Long, Earned> perDay) {}

    private final Store store;
    private final Duration unknownAfter;
    private final Clock clock;

    public BillingService(Store store, Duration unknownAfter, Clock clock) {
        this.store = store;
        this.unknownAfter = unknownAfter;
        this.clock = clock;
    }

    /** Everything is charged up to here. */
    public Instant chargedTo() {
        return store.repos().billing().chargedTo();
    }

    public long balance(long userId) {
        return store.repos().ledger().balance(userId);
    }

    /**
     * The user's instances that were charged something in [from, to], in id order, each with its items over the part
     * of the range it existed in, up to the meter's watermark.
     */
    public List<InstanceCharges> charges(long userId, Instant from, Instant to) {
        Instant end = min(to, chargedTo());
        if (end.isBefore(from)) return List.of();
        List<MeteredContract> contracts = store.repos().billing().contractsOfOwner(userId, from, end);
        Map<Long, History> histories = Histories.of(store.repos().billing(), contracts, unknownAfter);
        Map<Long, Instant> aside = setAside();
        Map<Long, TemplateRef> templates = store.repos()
                .instances()
                .templatesOf(contracts.stream().map(MeteredContract::id).toList());
        List<InstanceCharges> out = new ArrayList<>();
        for (MeteredContract c : contracts) {
            Instant a = max(from, c.createdAt());
            Instant b = cut(c, end, aside);
            if (b.isBefore(a)) continue;
            try {
                List<Usage> u = histories.get(c.id()).usageAt(List.of(a, b));
                InstanceCharges ic = new InstanceCharges(
                        c, a, b, ChargeItems.between(c.terms(), u.get(0), u.get(1)), templates.get(c.id()));
                if (ic.total() > 0) out.add(ic);
            } catch (ArithmeticException | IllegalArgumentException e) {
                // set aside before claims were checked: its history cannot be priced, and the meter charged none of it
            }
        }
        return out;
    }

    /** One volume's charge over [start, end] (what of the asked range it existed in, up to the watermark). */
    public record VolumeCharges(Volume volume, Instant start, Instant end, long amount) {}

    /** The user's volumes charged something in [from, to], in id order (docs/volumes.md). */
    public List<VolumeCharges> volumeCharges(long userId, Instant from, Instant to) {
        Instant end = min(to, chargedTo());
        if (end.isBefore(from)) return List.of();
        List<VolumeCharges> out = new ArrayList<>();
        for (Volume v : store.repos().volumes().ofOwner(userId, from, end)) {
            Instant a = max(from, v.createdAt());
            Instant b = v.deletedAt() == null ? end : min(end, v.deletedAt());
            if (!b.isAfter(a)) continue;
            long amount = VolumeCharge.between(v, a, b);
            if (amount > 0) out.add(new VolumeCharges(v, a, b, amount));
        }
        return out;
    }

    /**
     * What the host's machines (or one of them) earned on the days {@code firstDay} to {@code lastDay} inclusive,
     * up to the meter's watermark.
     */
    public Earnings earnings(long hostId, Long machineId, long firstDay, long lastDay) {
        Instant from = Instant.ofEpochMilli(Math.multiplyExact(firstDay, MILLIS_PER_DAY));
        Instant end = min(Instant.ofEpochMilli(Math.multiplyExact(lastDay + 1, MILLIS_PER_DAY)), chargedTo());
        Map<Long, Earned> perMachine = new TreeMap<>();
        Map<Long, Earned> perDay = new TreeMap<>();
        Earned total = Earned.ZERO;
        if (!end.isAfter(from)) return new Earnings(total, perMachine, perDay);
        List<MeteredContract> contracts = store.repos().billing().contractsOfHost(hostId, machineId, from, end);
        Map<Long, History> histories = Histories.of(store.repos().billing(), contracts, unknownAfter);
        Map<Long, Instant> aside = setAside();
        for (MeteredContract c : contracts) {
            Instant a = max(from, c.createdAt());
            Instant b = cut(c, end, aside);
            if (!b.isAfter(a)) continue;
            List<Instant> points = new ArrayList<>();
            points.add(a);
            for (long d = Math.floorDiv(a.toEpochMilli(), MILLIS_PER_DAY) + 1;
                    d * MILLIS_PER_DAY < b.toEpochMilli();
                    d++) {
                points.add(Instant.ofEpochMilli(d * MILLIS_PER_DAY));
            }
            points.add(b);
            List<Earned> earned = new ArrayList<>(points.size());
            try {
                List<Usage> usage = histories.get(c.id()).usageAt(points);
                for (int k = 0; k + 1 < points.size(); k++)
                    earned.add(earned(c.terms(), usage.get(k), usage.get(k + 1)));
            } catch (ArithmeticException | IllegalArgumentException e) {
                continue; // cannot be priced (set aside by the meter, which charged none of it)
            }
            for (int k = 0; k < earned.size(); k++) {
                Earned e = earned.get(k);
                long day = Math.floorDiv(points.get(k).toEpochMilli(), MILLIS_PER_DAY);
                perDay.merge(day, e, Earned::plus);
                perMachine.merge(c.machineId(), e, Earned::plus);
                total = total.plus(e);
            }
        }
        return new Earnings(total, perMachine, perDay);
    }

    /** The user's ledger entries of these kinds created in [from, to], oldest first. */
    public List<LedgerEntry> entries(long userId, Collection<String> kinds, Instant from, Instant to) {
        return store.repos().ledger().byUser(userId, kinds, from, to);
    }

    public Instant now() {
        return clock.instant();
    }

    /** Contracts set aside, with the watermark each was charged up to. */
    private Map<Long, Instant> setAside() {
        Map<Long, Instant> out = new java.util.HashMap<>();
        for (var a : store.repos().billing().setAside()) out.put(a.instanceId(), a.chargedTo());
        return out;
    }

    /** Where a contract's charges end in a page cut at {@code end}: its destruction, or where it was set aside. */
    private static Instant cut(MeteredContract c, Instant end, Map<Long, Instant> aside) {
        Instant b = c.destroyedAt() == null ? end : min(end, c.destroyedAt());
        Instant asideAt = aside.get(c.id());
        return asideAt == null ? b : min(b, asideAt);
    }

    private static Earned earned(ContractTerms t, Usage a, Usage b) {
        Charges ca = t.charges(a);
        Charges cb = t.charges(b);
        Charges fees = t.fees(cb).minus(t.fees(ca));
        return new Earned(cb.minus(ca).minus(fees), fees.total());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
