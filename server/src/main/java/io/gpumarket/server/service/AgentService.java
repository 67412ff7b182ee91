package io.gpumarket.server.service;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.DesiredVolume;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.LogRequest;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.account.AccountEnvVars;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.LogTicket;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.SyncPacing;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.agent.AgentLane;
import io.gpumarket.server.agent.DesiredStates;
import io.gpumarket.server.agent.LastSeen;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.agent.RemovalWaiters;
import io.gpumarket.server.auth.InstanceKeys;
import io.gpumarket.server.auth.MachineTokens;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.server.metrics.AgentMetrics;
import io.gpumarket.store.Store;
import io.gpumarket.store.VolumeRepo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The server's half of the agent protocol (api {@code agent.*}): an agent registers its machine's hardware, then
 * syncs: each sync is a heartbeat, carries the actual state of its instances and the ids it has torn down, and is
 * answered with the machine's desired state. A sync whose revision is current may be held (a long poll) until
 * something for the machine changes, at most one heartbeat, so a held agent never looks silent.
 */
public final class AgentService {
    /** The longest a sync is held: below Jetty's 30 s idle timeout, whatever the heartbeat is set to. */
    static final Duration MAX_HOLD = Duration.ofSeconds(25);

    private final Store store;
    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final RemovalWaiters removals;
    private final SshKeyService sshKeys;
    private final LogService logs;
    private final AgentTimings timings;
    private final SyncPacing pacing;
    private final BidArbiter arbiter;
    private final InstanceKeys instanceKeys;
    private final Clock clock;
    private final LastSeen lastSeen;
    private final MachineTokens tokens;
    private final DesiredStates answers = new DesiredStates();
    /** Other replicas change this database too (PostgreSQL: {@link #followReplicas}). */
    private volatile boolean followsReplicas;

    private final AgentLane lane;
    private final EnvVarService envVars;
    private final CopyService copies;
    private final CloudCopyService cloudCopies;
    private final MigrationService migrations;
    private final AgentMetrics metrics;

    /**
     * @param lastSeen heartbeats, held in memory and flushed in batches
     * @param tokens   the machine-token cache, told when a machine's row changes through its agent
     * @param lane     where syncs queue for the reads of a desired state not answered before
     * @param envVars  the owners' account environment variables, put into their instances' environment
     * @param metrics  syncs counted and timed (beyond their hold), malformed reports counted
     */
    public AgentService(
            Store store,
            MarketIndex market,
            MachineRevisions revisions,
            RemovalWaiters removals,
            SshKeyService sshKeys,
            LogService logs,
            AgentTimings timings,
            BidArbiter arbiter,
            InstanceKeys instanceKeys,
            LastSeen lastSeen,
            MachineTokens tokens,
            AgentLane lane,
            EnvVarService envVars,
            CopyService copies,
            CloudCopyService cloudCopies,
            MigrationService migrations,
            AgentMetrics metrics,
            Clock clock) {
        this.store = store;
        this.migrations = migrations;
        this.copies = copies;
        this.cloudCopies = cloudCopies;
        this.envVars = envVars;
        this.metrics = metrics;
        this.instanceKeys = instanceKeys;
        this.lane = lane;
        this.lastSeen = lastSeen;
        this.tokens = tokens;
        this.arbiter = arbiter;
        this.market = market;
        this.revisions = revisions;
        this.removals = removals;
        this.sshKeys = sshKeys;
        this.logs = logs;
        this.timings = timings;
        this.pacing = timings.pacing();
        this.clock = clock;
    }

    /**
     * The agent's fingerprint replaces the machine's hardware; listing, verification and reliability stay. GPUs
     * held by live on-demand instances stay taken, so the free count is what the new GPU count leaves; offers are carved
     * again only when that count changed (unchanged offers keep their ids). What the agent could not measure (it
     * sends null: network speed without a speed test, CUDA without nvidia-smi) keeps the value the machine was
     * registered with, instead of falling back to a default.
     */
    public Machine register(Machine machine, MachineRegistration registration) {
        MachineSpec spec = MachineSpecs.from(MachineSpecs.keeping(registration, machine.spec()));
        Instant now = clock.instant();
        store.inTransaction(tx -> {
            tx.machines().updateSpec(machine.id(), spec, now);
            // bids never take GPUs from the free count (docs/bids.md): only on-demand contracts use it up
            int used = tx.instances().liveOnMachine(machine.id()).stream()
                            .filter(i -> !i.bid())
                            .mapToInt(Instance::numGpus)
                            .sum()
                    + migrations.heldOn(tx, machine.id()); // GPUs a move holds here (docs/migrate.md)
            int before = tx.machines().find(machine.id()).orElseThrow().freeGpus();
            Machine m = Gpus.setFree(tx, machine.id(), x -> Math.max(0, x.spec().numGpus() - used), now);
            if (m.listed() && m.freeGpus() != before) {
                tx.offers()
                        .replace(m.id(), Bundles.sizes(m.freeGpus(), m.listing().minChunk()), now);
            }
            // a machine that now reports fewer (or more) GPUs has its bids re-decided
            arbiter.arbitrate(tx, machine.id(), now);
            return null;
        });
        lastSeen.heard(machine.id(), now);
        tokens.forget(machine.id());
        market.refresh(machine.id());
        revisions.bump(machine.id());
        return store.repos().machines().find(machine.id()).orElseThrow();
    }

    /**
     * Machines whose agents' first syncs are answered from memory after a start ({@link #primeFleet}): each costs about a
     * kilobyte (its cached token and row, its revision slot, its empty desired state), 20 MB at this many.
     */
    public static final int PRIMED_MACHINES = 20_000;

    /**
     * Reads, once, what a fleet reconnecting after the server's start asks for first — each machine's token, stored
     * orphans and (for machines with nothing live) its empty desired state — for the {@link #PRIMED_MACHINES} machines
     * most recently heard from. Without it 10,000 agents arriving within seconds each cost three reads queued four at a
     * time in the agent lane, and most of them timed out or were shed before being answered (docs/benchmarks.md). Called
     * before the server listens: nothing can change a machine between these reads and the revisions they are filed
     * under.
     *
     * @return the machines primed
     */
    /**
     * Other server replicas may change machines on this database (PostgreSQL, with the change feed running): this
     * replica's revisions then lag the database by the feed's propagation time, so every sync is answered from a fresh
     * read, never from the state kept in memory. A kept state may not list an instance the agent was just told to run
     * by another replica (through its other sync, or a sync before), and an agent destroys what its desired state
     * leaves out: BalancedReplicasTest's real agents tore down instances that way (docs/high-availability.md).
     */
    public void followReplicas() {
        followsReplicas = true;
    }

    public int primeFleet() {
        io.gpumarket.store.AgentFleet fleet = store.repos().machines().fleet(PRIMED_MACHINES);
        tokens.prime(fleet.byTokenHash());
        DesiredStates.State idle = new DesiredStates.State(List.of(), List.of(), List.of());
        // a machine an unfinished migration touches holds an instance whose row is elsewhere (docs/migrate.md)
        java.util.Set<Long> moving = new java.util.HashSet<>();
        for (var row : store.repos().migrations().unfinished()) {
            moving.add(row.migration().fromMachine());
            moving.add(row.migration().toMachine());
        }
        List<Long> busy = new ArrayList<>();
        for (Machine m : fleet.byTokenHash().values()) {
            orphansSeen.putIfAbsent(m.id(), java.util.Set.copyOf(fleet.orphans().getOrDefault(m.id(), List.of())));
            if (fleet.busy().contains(m.id()) || moving.contains(m.id())) busy.add(m.id());
            else answers.at(m.id(), revisions.current(m.id()), () -> idle);
        }
        // machines running something: their states read one by one (2 to 12 statements each) for as long as the
        // budget lasts; otherwise their agents' first syncs queue for the same reads in the agent lane, four at a time
        // (not with replicas, whose syncs are all answered from a fresh read)
        long until = System.nanoTime() + (followsReplicas ? 0 : PRIME_BUSY_BUDGET.toNanos());
        for (long id : busy) {
            if (System.nanoTime() > until) break;
            answers.at(id, revisions.current(id), () -> desired(id));
        }
        return fleet.byTokenHash().size();
    }

    /** How long a start may spend reading the desired states of machines running something (~2,000 a second). */
    static final Duration PRIME_BUSY_BUDGET = Duration.ofSeconds(5);

    /** What each machine's agent last said about orphans, so a sync writes only when that changes. */
    private final Map<Long, java.util.Set<Long>> orphansSeen = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The orphans stored for the machine, as last written or (first time since the server started) read: every agent
     * reports its orphans, usually none, on every sync, and comparing against the stored set keeps a fleet's first syncs
     * after a restart from each writing an unchanged empty set (a durable commit per agent, queued at the write gate).
     */
    private java.util.Set<Long> orphansStored(long machineId) {
        java.util.Set<Long> seen = orphansSeen.get(machineId);
        if (seen != null) return seen;
        java.util.Set<Long> stored =
                java.util.Set.copyOf(lane.read(() -> store.repos().machines().orphans(List.of(machineId)))
                        .getOrDefault(machineId, List.of()));
        orphansSeen.putIfAbsent(machineId, stored);
        return stored;
    }

    /**
     * One sync: its reports applied, then the machine's desired state, at once or, for a long poll whose revision is
     * current, when the state changes or the hold ends. The hold parks no thread (MachineRevisions): the answer is
     * made on a virtual thread of its own when the wait ends.
     */
    public CompletableFuture<SyncResponse> sync(Machine machine, SyncRequest request) {
        long start = System.nanoTime();
        try {
            validate(request);
        } catch (DomainException.BadRequest e) {
            metrics.rejected();
            throw e;
        }
        Instant now = clock.instant();
        lastSeen.heard(machine.id(), now);
        // what the sync carries is written in one transaction; an idle sync writes nothing
        java.util.Set<Long> orphans = request.orphans() == null ? null : java.util.Set.copyOf(request.orphans());
        boolean newOrphans = orphans != null && !orphans.equals(orphansStored(machine.id()));
        if (!request.instances().isEmpty() || newOrphans) {
            store.inTransaction(tx -> {
                applyReports(machine, request, now);
                if (newOrphans) store.repos().machines().setOrphans(machine.id(), orphans, now);
                return null;
            });
            if (newOrphans) orphansSeen.put(machine.id(), orphans);
        }
        // an agent speaks for its own machine only: acknowledgements of other machines' instances are ignored
        removals.removed(machine.id(), request.removed());
        if (request.waitSeconds() <= 0 || request.revision() != revisions.current(machine.id())) {
            return CompletableFuture.completedFuture(answer(machine, start, 0));
        }
        Duration hold = min(Duration.ofSeconds(request.waitSeconds()), min(pacing.maxHold(), MAX_HOLD));
        long holdStart = System.nanoTime();
        return revisions
                .onChange(machine.id(), request.revision(), hold)
                .thenApplyAsync(
                        changed -> {
                            long held = System.nanoTime() - holdStart;
                            lastSeen.heard(machine.id(), clock.instant());
                            return answer(machine, start, held);
                        },
                        ANSWERING);
    }

    /** Where a held sync's answer is made once its wait ends: never on the bump's or the timer's thread. */
    private static final java.util.concurrent.Executor ANSWERING =
            task -> Thread.ofVirtual().name("sync-answer").start(task);

    /**
     * The machine's desired state at its current revision. The revision is read before the state: a change racing with
     * this answer is then in the state, or makes the next sync's revision stale so it is answered at once. Either way
     * the agent never misses it. The state of a revision answered before is answered again from memory
     * (DesiredStates).
     */
    private SyncResponse answer(Machine machine, long start, long held) {
        long revision = revisions.current(machine.id());
        Supplier<DesiredStates.State> read = () -> lane.read(() -> desired(machine.id()));
        DesiredStates.State state = followsReplicas
                ? answers.fresh(machine.id(), revision, read)
                : answers.at(machine.id(), revision, read);
        SyncResponse answer = new SyncResponse(
                machine.id(),
                revision,
                (int) timings.heartbeat().toSeconds(),
                state.instances(),
                state.volumes(),
                state.cloudCopies(),
                (int) pacing.hold(lastSeen.present()).toSeconds());
        metrics.synced(System.nanoTime() - start - held);
        return answer;
    }

    /** Every report well-formed, before anything of the sync is applied. */
    private static void validate(SyncRequest request) {
        for (InstanceReport r : request.instances()) {
            // unknown/offline/scheduling are the server's to compute; a string no status names never gets this far
            // (Json)
            if (r.actualStatus() == null || !r.actualStatus().reportable()) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "instance " + r.id() + ": actual_status must be one of "
                                + ActualStatus.REPORTABLE.stream()
                                        .map(ActualStatus::wire)
                                        .sorted()
                                        .collect(java.util.stream.Collectors.joining(", "))
                                + ", got " + r.actualStatus());
            }
            ReportClaims.validate(r);
        }
    }

    /** The instances' actual states the agent reports (and their traffic), in the caller's transaction. */
    private void applyReports(Machine machine, SyncRequest request, Instant now) {
        for (InstanceReport r : request.instances()) {
            Instant started = r.startedAt() > 0 ? Instant.ofEpochSecond(r.startedAt()) : null;
            var applied = store.repos()
                    .instances()
                    .applyReport(
                            r.id(),
                            machine.id(),
                            new AgentState(
                                    ActualStatuses.toCore(r.actualStatus()),
                                    r.statusMsg(),
                                    r.diskUsageGb(),
                                    r.cpuUtil(),
                                    started),
                            r.hostFault(),
                            now);
            if (applied == io.gpumarket.store.InstanceRepo.Applied.STATUS_CHANGED)
                io.gpumarket.server.notify.Events.statusReported(
                        store.repos(),
                        r.id(),
                        r.actualStatus() == null ? null : r.actualStatus().wire(),
                        r.statusMsg(),
                        now);
            ReportClaims.recordTraffic(store, machine.id(), r, started, now);
        }
    }

    /** The owner's account keys, then the instance's attached keys that are not among them. */
    private static List<String> keys(List<String> account, List<String> attached) {
        if (attached == null || attached.isEmpty()) return account;
        List<String> all = new ArrayList<>(account);
        for (String k : attached) if (!all.contains(k)) all.add(k);
        return all;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /** A pending preemption notice as one line: the reason, then the deadline in ISO form and epoch seconds. */
    private static String notice(Instance i) {
        var b = i.bidState();
        if (b.phase() != io.gpumarket.core.bid.BidState.Phase.NOTICE) return null;
        return noticeLine(b.reason(), b.noticeUntil());
    }

    /** The notice file's one line (a bid's preemption, a move's stop): why, then when, ISO and epoch seconds. */
    static String noticeLine(String reason, Instant until) {
        return reason + "; stopping at " + until + " (" + until.getEpochSecond() + ")";
    }

    /** Every instance and volume that should exist on the machine, as its agent should hold them. */
    private DesiredStates.State desired(long machineId) {
        // Most machines run nothing: two reads answer them (the machine row, log requests and keys only matter for
        // live instances), which is what a fleet reconnecting after a restart mostly asks.
        List<Instance> live = store.repos().instances().liveOnMachine(machineId);
        // instances moving to or from this machine that it holds though their row is elsewhere (docs/migrate.md)
        MigrationService.Overlay moving = migrations.overlay(machineId);
        if (!moving.guests().isEmpty()) {
            live = new ArrayList<>(live);
            live.addAll(moving.guests());
        }
        List<DesiredVolume> machineVolumes = new ArrayList<>();
        Map<Long, Long> sizes = new HashMap<>();
        for (Volume v : store.repos().volumes().liveOnMachine(machineId)) {
            machineVolumes.add(new DesiredVolume(v.id(), v.sizeGb(), null));
            sizes.put(v.id(), v.sizeGb());
        }
        // volumes moving with an instance, held here though their row may be on the other machine; the overlay was
        // read before the machine's own list, so a volume moving meanwhile is in at least one of the two reads (a
        // volume missing from both would have its storage wiped by the agent)
        for (Volume v : moving.volumes()) {
            if (sizes.putIfAbsent(v.id(), v.sizeGb()) == null)
                machineVolumes.add(new DesiredVolume(v.id(), v.sizeGb(), null));
        }
        if (live.isEmpty()) return new DesiredStates.State(List.of(), machineVolumes, List.of());
        Map<Long, List<VolumeRepo.Mount>> mounts =
                store.repos().volumes().mountsOf(live.stream().map(Instance::id).toList());
        Machine m = store.repos().machines().find(machineId).orElseThrow();
        Map<Long, List<LogRequest>> pendingLogs = new HashMap<>();
        for (LogTicket t : logs.pending(machineId)) {
            pendingLogs
                    .computeIfAbsent(t.instanceId(), id -> new ArrayList<>())
                    .add(new LogRequest(t.token(), t.tail(), t.filter(), t.command()));
        }
        Map<Long, List<String>> keysByOwner = new HashMap<>();
        Map<Long, List<String>> attached = sshKeys.attachedOnMachine(machineId);
        // the account's variables as they are now: what an instance starting from this answer gets (EnvVarService)
        Map<Long, Map<String, String>> accountEnv =
                envVars.forStarts(live.stream().map(Instance::ownerId).collect(java.util.stream.Collectors.toSet()));
        Map<Long, List<io.gpumarket.api.agent.CopyTask>> copyTasks = copies.tasks(live);
        List<DesiredInstance> out = new ArrayList<>();
        for (Instance i : live) {
            List<List<String>> env = new ArrayList<>();
            for (EnvPair p : AccountEnvVars.merged(
                    accountEnv.getOrDefault(i.ownerId(), Map.of()), i.launch().env()))
                env.add(List.of(p.key(), p.value()));
            // a bid without GPUs is stopped on the host while its owner's intent (running) is kept for its return
            out.add(moving.apply(new DesiredInstance(
                    i.id(),
                    i.revision(),
                    i.desiredStatus().wire(),
                    i.rebootCount(),
                    i.launch().image(),
                    env,
                    i.launch().onstart(),
                    i.launch().args(),
                    i.launch().argsStr(),
                    i.launch().runtype().wire(),
                    i.diskGb(),
                    i.numGpus(),
                    i.sshPort(),
                    i.ports(),
                    keys(keysByOwner.computeIfAbsent(i.ownerId(), sshKeys::allowedKeys), attached.get(i.id())),
                    // an instance rented before keys were derived: its key lives only in its environment now (V24)
                    i.derivedApiKey() ? instanceKeys.keyOf(i.id()) : null,
                    m.spec().publicIpaddr(),
                    i.label(),
                    pendingLogs.getOrDefault(i.id(), List.of()),
                    notice(i),
                    i.launch().imageLogin(),
                    mounts.getOrDefault(i.id(), List.of()).stream()
                            // a mount of a volume deleted since is left out (a live instance keeps its volume, so
                            // only a race with the delete gets here)
                            .filter(mt -> sizes.containsKey(mt.volumeId()))
                            .map(mt -> new DesiredVolume(mt.volumeId(), sizes.get(mt.volumeId()), mt.mountPath()))
                            .toList(),
                    i.recycleCount(),
                    copyTasks.getOrDefault(i.id(), List.of()))));
        }
        return new DesiredStates.State(out, machineVolumes, cloudCopies.tasks(live));
    }
}
