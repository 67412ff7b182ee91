package io.gpumarket.server.service;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.JupyterToken;
import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.billing.HourOfCredit;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Liveness;
import io.gpumarket.core.instance.Runtype;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MaintenanceWindow;
import io.gpumarket.core.migrate.MigrationRules;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.core.template.TemplateRef;
import io.gpumarket.server.agent.LastSeen;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.agent.RemovalWaiters;
import io.gpumarket.server.auth.ApiKeyCache;
import io.gpumarket.server.auth.InstanceKeys;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A renter's instances after renting: showing them, changing what they should be (start, stop, label,
 * reboot) and destroying them. Every change bumps the machine's revision so its agent hears of it at once. An
 * instance that is not the caller's is answered exactly like one that does not exist.
 */
public final class InstanceService {
    /** Vast's limit and wording for labels. */
    public static final int MAX_LABEL = 1024;
    /** Ids in one bulk call. */
    public static final int MAX_BULK = 1000;

    private final Store store;
    /** The authenticator's keys: an instance's own key is revoked with the instance. */
    private final ApiKeyCache keys;
    /** Owners' rented machines (the search's `rented` column): an owner's set changes with each destroy. */
    private final RentedMachines rented;

    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final RemovalWaiters removals;
    private final Liveness liveness;
    private final Duration destroyWait;
    private final BidArbiter arbiter;
    private final Clock clock;
    private final LastSeen lastSeen;
    /** Derives a Jupyter launch's token from the instance's own key ({@link JupyterToken}). */
    private final InstanceKeys instanceKeys;
    /**
     * Refuses starts that cannot run where they are (MigrationService#refuseStartWithoutGpus); set once by the
     * composition root, which makes the migrations after this service.
     */
    private volatile java.util.function.BiConsumer<Principal, List<Instance>> startGuard = (caller, starting) -> {};

    /** @param lastSeen machines' last contacts, held in memory (heartbeats are not written one by one) */
    public InstanceService(
            Store store,
            MarketIndex market,
            MachineRevisions revisions,
            RemovalWaiters removals,
            Liveness liveness,
            Duration destroyWait,
            BidArbiter arbiter,
            ApiKeyCache keys,
            RentedMachines rented,
            LastSeen lastSeen,
            InstanceKeys instanceKeys,
            Clock clock) {
        this.store = store;
        this.instanceKeys = instanceKeys;
        this.rented = rented;
        this.keys = keys;
        this.lastSeen = lastSeen;
        this.arbiter = arbiter;
        this.market = market;
        this.revisions = revisions;
        this.removals = removals;
        this.liveness = liveness;
        this.destroyWait = destroyWait;
        this.clock = clock;
    }

    /** Sets the check every start passes first (docs/migrate.md: an instance whose GPUs are gone). */
    public void guardStarts(java.util.function.BiConsumer<Principal, List<Instance>> guard) {
        this.startGuard = guard;
    }

    /** The caller's live instance, or empty (missing, destroyed and someone else's look the same). */
    public Optional<ShownInstance> show(Principal caller, long id) {
        return store.repos()
                .instances()
                .find(id)
                .filter(i -> !i.destroyed() && i.ownerId() == caller.userId())
                .map(i -> shown(List.of(i)).get(0));
    }

    /** The caller's live instances, in id order. */
    public List<ShownInstance> list(Principal caller) {
        return shown(store.repos().instances().liveByOwner(caller.userId()));
    }

    /**
     * Start or stop. An on-demand contract's GPUs stay reserved either way, so starting it again never waits for
     * them; a bid gives its GPUs up when stopped, and starting it lets the bid arbiter decide whether it runs at once
     * or waits in {@code scheduling} (docs/bids.md). Starting stopped instances needs a balance that covers an hour
     * of them all ({@code missing_billing} otherwise, the code Vast documents for this route; nothing changed).
     */
    public void setState(Principal caller, List<Long> ids, IntendedStatus status) {
        List<Instance> instances = owned(caller, ids);
        Instant now = clock.instant();
        if (status == IntendedStatus.RUNNING) {
            List<Instance> starting = instances.stream()
                    .filter(i -> i.intendedStatus() != IntendedStatus.RUNNING)
                    .toList();
            startGuard.accept(caller, starting);
            long hourly = 0;
            for (Instance i : starting)
                hourly = Math.addExact(
                        hourly,
                        ContractTerms.of(i.numGpus(), i.diskGb(), i.prices(), 0).hourly());
            if (!starting.isEmpty()) {
                String what =
                        starting.size() == 1 ? "instance " + starting.get(0).id() : starting.size() + " instances";
                HourOfCredit.shortfall(store.repos().ledger().balance(caller.userId()), hourly, what)
                        .ifPresent(msg -> {
                            throw new DomainException.BadRequest("missing_billing", msg);
                        });
            }
        }
        Set<Long> machines = new LinkedHashSet<>();
        for (Instance i : instances) {
            if (store.repos().instances().setIntendedStatus(i.id(), status, now)) machines.add(i.machineId());
        }
        machines.forEach(arbiter::arbitrate);
        machines.forEach(revisions::bump);
    }

    public void setLabel(Principal caller, long id, String label) {
        if (label != null && label.length() > MAX_LABEL) {
            throw new DomainException.BadRequest(
                    "label_too_long",
                    "Please limit label length to " + MAX_LABEL + " characters, ideally less than 128.");
        }
        Instance i = owned(caller, List.of(id)).get(0);
        if (store.repos().instances().setLabel(id, label, clock.instant())) revisions.bump(i.machineId());
    }

    /** A reboot request: the agent restarts the container when it sees the count grow (GPUs kept). */
    public void reboot(Principal caller, long id) {
        Instance i = owned(caller, List.of(id)).get(0);
        if (store.repos().instances().reboot(id, clock.instant())) revisions.bump(i.machineId());
    }

    /**
     * A recycle request (Vast's {@code PUT /instances/recycle/{id}/}): the agent destroys the container and creates it
     * again from a freshly pulled image when it sees the count grow. The contract is never ended, so its GPUs, ports
     * and prices stay its own throughout: no other renter can take them in between.
     */
    public void recycle(Principal caller, long id) {
        Instance i = owned(caller, List.of(id)).get(0);
        if (store.repos().instances().recycle(id, clock.instant())) revisions.bump(i.machineId());
    }

    /**
     * Destroys the instances: each contract ends (GPUs freed and offered again, its own key revoked), the agents
     * are told, and the call waits (bounded by the destroy wait) until each present agent reports its instance
     * removed. Agents that are silent are not waited for: their machines will drop the instance when they return.
     *
     * @return whether every removal was confirmed in time
     */
    public boolean destroy(Principal caller, List<Long> ids) {
        List<Instance> instances = owned(caller, ids);
        Instant now = clock.instant();
        List<Long> awaited = new ArrayList<>();
        for (Instance i : instances) {
            if (liveness.present(lastSeen.of(i.machineId()).orElse(null), now)) {
                removals.expect(i.id(), i.machineId());
                awaited.add(i.id());
            }
        }
        Set<Long> machines = new LinkedHashSet<>();
        List<Long> destroyed = new ArrayList<>();
        try {
            for (Instance i : instances) {
                if (store.inTransaction(tx -> endContract(tx, i, now))) {
                    if (i.apiKeyId() != null) keys.forgetKey(i.apiKeyId());
                    rented.changed(i.ownerId());
                    destroyed.add(i.id());
                    machines.add(i.machineId());
                }
            }
        } finally {
            List<Long> notDestroyed =
                    awaited.stream().filter(id -> !destroyed.contains(id)).toList();
            removals.forget(notDestroyed);
            machines.forEach(market::refresh);
            machines.forEach(revisions::bump);
        }
        return removals.await(awaited.stream().filter(destroyed::contains).toList(), destroyWait);
    }

    /**
     * Destroys instances on the operator's behalf (their owner's credit ran out past the grace period): the same end
     * of contract as {@link #destroy}, without an owner check or waiting for agents. Returns how many it destroyed.
     */
    public int destroyUnpaid(List<Instance> instances) {
        Instant now = clock.instant();
        Set<Long> machines = new LinkedHashSet<>();
        int destroyed = 0;
        try {
            for (Instance i : instances) {
                if (store.inTransaction(tx -> endContract(tx, i, now))) {
                    if (i.apiKeyId() != null) keys.forgetKey(i.apiKeyId());
                    rented.changed(i.ownerId());
                    destroyed++;
                    machines.add(i.machineId());
                }
            }
        } finally {
            machines.forEach(market::refresh);
            machines.forEach(revisions::bump);
        }
        return destroyed;
    }

    /**
     * One transaction: destroyed, GPUs back (an on-demand contract's; a bid never took them from the free count),
     * remaining capacity offered under new ids, the instance key revoked, and the machine's bids re-decided (a
     * preempted one may resume).
     */
    private boolean endContract(Repos tx, Instance i, Instant now) {
        if (!tx.instances().markDestroyed(i.id(), now)) return false;
        io.gpumarket.server.notify.Events.instanceDestroyed(tx, i, now);
        PrepayService.refundOnDestroy(tx, i, now);
        Machine m = i.bid()
                ? tx.machines().find(i.machineId()).orElseThrow()
                : Gpus.release(tx, i.machineId(), i.numGpus(), now);
        if (m.listed())
            tx.offers().replace(m.id(), Bundles.sizes(m.freeGpus(), m.listing().minChunk()), now);
        if (i.apiKeyId() != null) tx.apiKeys().delete(i.ownerId(), i.apiKeyId(), now);
        arbiter.arbitrate(tx, i.machineId(), now);
        return true;
    }

    /** Every id must be a live instance of the caller; otherwise nothing is changed and the first missing is named. */
    public List<Instance> owned(Principal caller, List<Long> ids) {
        if (ids.isEmpty()) throw new DomainException.BadRequest("invalid_args", "no instance ids given");
        if (ids.size() > MAX_BULK) {
            throw new DomainException.BadRequest(
                    "invalid_args", ids.size() + " ids given; at most " + MAX_BULK + " per call");
        }
        List<Instance> found = new ArrayList<>(ids.size());
        for (long id : new LinkedHashSet<>(ids)) {
            found.add(store.repos()
                    .instances()
                    .find(id)
                    .filter(i -> !i.destroyed() && i.ownerId() == caller.userId())
                    .orElseThrow(() -> notFound(id)));
        }
        return found;
    }

    public static DomainException notFound(long id) {
        return new DomainException.NotFound("no_such_instance", "Instance " + id + " not found.");
    }

    /**
     * The agent's stored status, or unknown/offline when its machine is silent; null: nothing reported yet (a
     * stored string that names no status reads as unknown: {@code JdbcInstanceRepo}).
     */
    private ActualStatus shownStatus(Instance i, Instant contact, Instant now) {
        return ActualStatuses.toWire(liveness.shown(i.agent().actualStatus(), contact, now));
    }

    /**
     * The token of a Jupyter launch's server, as its agent derives it from the instance's own key; "" for other launches
     * and for instances whose key is not derived (rented before V24: the server cannot know it).
     */
    private String jupyterToken(Instance i) {
        if (i.launch().runtype() != Runtype.JUPYTER || !i.derivedApiKey()) return "";
        return JupyterToken.of(instanceKeys.keyOf(i.id()));
    }

    /** Views of instances, reading each machine (and its heartbeat) once, and the machines' maintenance in one query. */
    private List<ShownInstance> shown(List<Instance> instances) {
        Instant now = clock.instant();
        Map<Long, List<MaintenanceWindow>> maintenance = new HashMap<>();
        store.repos()
                .maintenances()
                .notEnded(instances.stream().map(Instance::machineId).distinct().toList(), now)
                .forEach(w -> maintenance
                        .computeIfAbsent(w.machineId(), k -> new ArrayList<>())
                        .add(w));
        Map<Long, TemplateRef> templates = store.repos()
                .instances()
                .templatesOf(instances.stream().map(Instance::id).toList());
        Map<Long, Machine> machines = new HashMap<>();
        Map<Long, Optional<Instant>> contacts = new HashMap<>();
        List<ShownInstance> out = new ArrayList<>(instances.size());
        // an instance moving to another machine shows the move's progress as its status (docs/migrate.md)
        Map<Long, String> moving = new HashMap<>();
        // and a running one told it will stop for the move, when (as a preempted bid's notice)
        Map<Long, Instant> stopping = new HashMap<>();
        for (var m : store.repos().migrations().unfinished()) {
            moving.put(m.instanceId(), m.message());
            if (MigrationRules.inNotice(m.migration(), now))
                stopping.put(m.instanceId(), m.migration().stopAt());
        }
        for (Instance shownOne : instances) {
            Instance i =
                    moving.containsKey(shownOne.id()) ? shownOne.withStatusMsg(moving.get(shownOne.id())) : shownOne;
            Machine m = machines.computeIfAbsent(
                    i.machineId(), id -> store.repos().machines().find(id).orElseThrow());
            Instant contact =
                    contacts.computeIfAbsent(i.machineId(), lastSeen::of).orElse(i.createdAt());
            out.add(new ShownInstance(
                    i,
                    m,
                    market.catalog().model(m.spec().gpuName()),
                    shownStatus(i, contact, now),
                    now,
                    maintenance.getOrDefault(i.machineId(), List.of()),
                    templates.get(i.id()),
                    jupyterToken(i),
                    i.intendedStatus() == IntendedStatus.RUNNING ? stopping.get(i.id()) : null));
        }
        return out;
    }
}
