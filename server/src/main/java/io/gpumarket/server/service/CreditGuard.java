package io.gpumarket.server.service;

import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What happens when an account's credit runs out: every instance of it meant to be running is stopped (the reason
 * kept and shown as its status_msg; its agent told through the desired state), storage keeps accruing, and nothing
 * is destroyed, unless the operator configured a grace period: then instances stopped for credit that long ago are
 * destroyed if their owner's balance is still not above zero.
 */
public final class CreditGuard {
    /** What it did. */
    public record Enforced(int stopped, int destroyed, int volumesDeleted) {
        public Enforced(int stopped, int destroyed) {
            this(stopped, destroyed, 0);
        }
    }

    private final Store store;
    private final InstanceService instances;
    private final MachineRevisions revisions;
    private final BidArbiter arbiter;
    private final Duration destroyGrace;
    private final Clock clock;
    private final VolumeService volumes;

    public CreditGuard(
            Store store,
            InstanceService instances,
            MachineRevisions revisions,
            BidArbiter arbiter,
            Duration destroyGrace,
            Clock clock) {
        this(store, instances, revisions, arbiter, destroyGrace, clock, null);
    }

    /** @param volumes marks and (after the grace) deletes the volumes of owners out of credit; null: volumes untouched */
    public CreditGuard(
            Store store,
            InstanceService instances,
            MachineRevisions revisions,
            BidArbiter arbiter,
            Duration destroyGrace,
            Clock clock,
            VolumeService volumes) {
        this.volumes = volumes;
        this.store = store;
        this.arbiter = arbiter;
        this.instances = instances;
        this.revisions = revisions;
        this.destroyGrace = destroyGrace;
        this.clock = clock;
    }

    /**
     * Stops the running instances of every owner in {@code owners} whose balance is zero or less, and destroys
     * those past the grace period.
     */
    public Enforced enforce(Set<Long> owners) {
        Instant now = clock.instant();
        Map<Long, Long> balances = store.repos().billing().balances();
        Set<Long> broke = new LinkedHashSet<>();
        for (long owner : owners) if (balances.getOrDefault(owner, 0L) <= 0) broke.add(owner);
        int stopped = 0;
        Set<Long> machines = new LinkedHashSet<>();
        // a reserved instance runs on its deposit while it lasts, whatever its owner's credit
        Set<Long> funded = broke.isEmpty() ? Set.of() : store.repos().deposits().fundedOf(broke);
        for (Instance i : store.repos().instances().runningOfOwners(broke)) {
            if (funded.contains(i.id())) continue;
            long balance = balances.getOrDefault(i.ownerId(), 0L);
            String reason = "stopped: out of credit (balance $" + String.format("%.2f", Money.toDollars(balance))
                    + " at " + now + "); add credit, then start it again";
            if (store.inTransaction(tx -> tx.instances().stopForCredit(i.id(), reason, now)
                    && io.gpumarket.server.notify.Events.outOfCredit(tx, i, balance, now))) {
                stopped++;
                machines.add(i.machineId());
            }
        }
        // a stopped bid gives its GPUs up: a waiting one may now run
        machines.forEach(arbiter::arbitrate);
        machines.forEach(revisions::bump);
        int destroyed = 0;
        if (destroyGrace != null) {
            List<Instance> due = new ArrayList<>();
            for (Instance i : store.repos().instances().creditStoppedBefore(now.minus(destroyGrace))) {
                if (balances.getOrDefault(i.ownerId(), 0L) <= 0) due.add(i);
            }
            destroyed = instances.destroyUnpaid(due);
        }
        int volumesDeleted = 0;
        if (volumes != null) {
            Set<Long> paid = new LinkedHashSet<>(owners);
            paid.removeAll(broke);
            volumesDeleted = volumes.enforceCredit(broke, paid, destroyGrace, now);
        }
        return new Enforced(stopped, destroyed, volumesDeleted);
    }
}
