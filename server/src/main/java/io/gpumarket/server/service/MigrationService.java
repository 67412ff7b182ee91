package io.gpumarket.server.service;

import io.gpumarket.api.agent.CopyTask;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.billing.HourOfCredit;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.ActualStatus;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.migrate.Migration;
import io.gpumarket.core.migrate.MigrationRules;
import io.gpumarket.core.migrate.MigrationState;
import io.gpumarket.core.offer.Bundles;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.CopyRepo;
import io.gpumarket.store.MigrationRepo;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moving an instance to another machine ({@code PUT /instances/migrate/{id}/}, docs/migrate.md). The request holds
 * the destination's GPUs (taken from its free count as a rent takes them, the offer consumed) and stops the instance
 * if it runs; a loop ({@link #tick}) then drives each unfinished migration by the pure rules ({@link
 * MigrationRules}) from what is stored, so a restarted server resumes where it was:
 *
 * <ol>
 *   <li>reserved → copying once the source is stopped: a ticketed copy of the whole disk ({@code copy_transfers},
 *       the instance as both ends), whose halves each agent hears in its desired state — the source's door serves
 *       the ticket, the destination's agent pulls into the instance held there stopped;
 *   <li>copying → starting when the copy is done: in one transaction the contract moves (its past to an archive row
 *       ended now, the instance's row on the destination from now, intended running) and the destination's ports
 *       are taken;
 *   <li>starting → done when the destination reports it running: the old machine's GPUs go back to its free count
 *       and its agent, no longer told of the instance, removes the old disk.
 * </ol>
 *
 * A failure before done rolls back (the copy failed or stayed silent, the credit ran out, the destination did not
 * start it): the destination's GPUs are let go, the contract moved back if it had moved, and the instance is as it
 * was on its old machine (running again if it was).
 */
public final class MigrationService {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationService.class);
    /** Offers tried for a query, best first (as launch_instance). */
    static final int MAX_TRIES = LaunchService.MAX_TRIES;

    private final Store store;
    private final InstanceService instances;
    private final SearchService search;
    private final CopyService copies;
    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final BidArbiter arbiter;
    private final RentedMachines rented;
    private final int platformFeePpm;
    /** The server's preemption notice window: a running source runs it out, told, before the move stops it. */
    private final Duration notice;

    private final Clock clock;

    public MigrationService(
            Store store,
            InstanceService instances,
            SearchService search,
            CopyService copies,
            MarketIndex market,
            MachineRevisions revisions,
            BidArbiter arbiter,
            RentedMachines rented,
            int platformFeePpm,
            Duration notice,
            Clock clock) {
        this.store = store;
        this.instances = instances;
        this.search = search;
        this.copies = copies;
        this.market = market;
        this.revisions = revisions;
        this.arbiter = arbiter;
        this.rented = rented;
        this.platformFeePpm = platformFeePpm;
        this.notice = notice == null ? Duration.ZERO : notice;
        this.clock = clock;
    }

    /**
     * Starts moving the caller's instance to the offer {@code offerId}, or to the best offer of {@code query} (an
     * offer search's body, as {@code launch_instance} takes it) with the instance's GPU count on another machine.
     */
    public MigrationRepo.Row request(Principal caller, long instanceId, Long offerId, Map<String, Object> query) {
        Instance i = instances.owned(caller, List.of(instanceId)).get(0);
        store.repos().migrations().unfinishedOf(i.id()).ifPresent(m -> {
            throw new DomainException.Conflict(
                    "migration_in_progress",
                    "Instance " + i.id() + " is already moving to machine "
                            + m.migration().toMachine() + " (" + m.state().wire() + "); wait for it to end.");
        });
        // its volumes move with it, unless another instance mounts one too (refused there)
        List<Volume> volumes = MigrationVolumes.of(store.repos(), i);
        if (store.repos().deposits().funded(List.of(i.id())).containsKey(i.id())) {
            throw new DomainException.Conflict(
                    "instance_reserved",
                    "Instance " + i.id() + " is a reserved (prepaid) contract of its machine and cannot move.");
        }
        List<Long> candidates = new ArrayList<>();
        if (offerId != null) {
            candidates.add(offerId);
        } else {
            Map<String, Object> q = new LinkedHashMap<>(query == null ? Map.of() : query);
            q.putIfAbsent("allocated_storage", i.diskGb());
            q.putIfAbsent("num_gpus", Map.of("eq", i.numGpus()));
            q.putIfAbsent("type", "on-demand");
            q.putIfAbsent("order", List.of(List.of("dph_total", "asc")));
            for (Map<String, Object> offer : search.search(q, caller).offers()) {
                if (candidates.size() >= MAX_TRIES) break;
                long machine = ((Number) offer.get("machine_id")).longValue();
                int gpus = ((Number) offer.get("num_gpus")).intValue();
                if (machine != i.machineId()
                        && gpus == i.numGpus()
                        && MigrationVolumes.noRoom(store.repos(), machine, volumes, clock.instant())
                                .isEmpty()) candidates.add(((Number) offer.get("id")).longValue());
            }
            if (candidates.isEmpty()) {
                throw new DomainException.NotFound(
                        "invalid_query",
                        "No offer of another machine with " + i.numGpus() + " GPU(s) and " + i.diskGb()
                                + " GB of disk"
                                + (volumes.isEmpty()
                                        ? ""
                                        : " and a volume offer with " + MigrationVolumes.sizeGb(volumes)
                                                + " GB free for its volume(s)")
                                + " matches the query");
            }
        }
        DomainException refused = null;
        for (long candidate : candidates) {
            try {
                MigrationRepo.Row row = reserve(i, candidate, volumes);
                LOG.info(
                        "instance {} moving from machine {} to machine {} (migration {})",
                        i.id(),
                        i.machineId(),
                        row.migration().toMachine(),
                        row.id());
                advanceQuietly(row.id());
                return store.repos().migrations().find(row.id()).orElseThrow();
            } catch (DomainException e) {
                if (offerId != null) throw e;
                if (!"no_such_ask".equals(e.code()) && !(e instanceof DomainException.BadRequest)) throw e;
                refused = e;
            }
        }
        throw refused;
    }

    /**
     * Refuses to start instances that cannot run where they are (docs/migrate.md): one moving to another machine, and
     * an interruptible one whose machine's GPUs on-demand contracts hold (no bid can win them back). Vast answers
     * "Required resources are currently unavailable" and the renter copies data off by hand; here the answer names
     * the cheapest offers of other machines it could move to. Called before any start changes anything.
     */
    public void refuseStartWithoutGpus(Principal caller, List<Instance> starting) {
        for (Instance i : starting) {
            store.repos().migrations().unfinishedOf(i.id()).ifPresent(m -> {
                throw new DomainException.Conflict(
                        "migration_in_progress",
                        "Instance " + i.id() + " is moving to machine "
                                + m.migration().toMachine() + " (" + m.state().wire()
                                + "); it starts there when the move is done.");
            });
            if (!i.bid()) continue; // an on-demand contract keeps its GPUs while stopped
            Machine m = store.repos().machines().find(i.machineId()).orElse(null);
            if (m == null) continue;
            int held = 0;
            for (Instance other : store.repos().instances().liveOnMachine(m.id()))
                if (!other.bid() && other.id() != i.id()) held += other.numGpus();
            if (m.spec().numGpus() - held >= i.numGpus()) continue;
            throw new DomainException.Conflict(
                    "resources_unavailable",
                    "Required resources are currently unavailable: machine " + m.id() + "'s GPUs are rented by"
                            + " others. Move instance " + i.id() + " with its disk to another machine (PUT"
                            + " /api/v0/instances/migrate/" + i.id() + "/ or gpumarket migrate instance " + i.id()
                            + " --to OFFER); " + cheapest(caller, i));
        }
    }

    /** The cheapest offers of other machines the instance could move to, as one sentence. */
    private String cheapest(Principal caller, Instance i) {
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("rentable", Map.of("eq", true));
        q.put("num_gpus", Map.of("eq", i.numGpus()));
        q.put("allocated_storage", i.diskGb());
        q.put("type", "on-demand");
        q.put("order", List.of(List.of("dph_total", "asc")));
        q.put("limit", 20);
        List<String> found = new ArrayList<>();
        for (Map<String, Object> offer : search.search(q, caller).offers()) {
            if (((Number) offer.get("machine_id")).longValue() == i.machineId()) continue;
            found.add("offer " + offer.get("id") + " (machine " + offer.get("machine_id") + ", " + offer.get("gpu_name")
                    + ", $"
                    + String.format(java.util.Locale.ROOT, "%.4f", ((Number) offer.get("dph_total")).doubleValue())
                    + "/hour)");
            if (found.size() == 3) break;
        }
        return found.isEmpty()
                ? "no offer of another machine matches it now."
                : "the cheapest it could move to: " + String.join(", ", found) + ".";
    }

    /** The caller's instance's latest migrations, newest first. */
    public List<MigrationRepo.Row> history(Principal caller, long instanceId) {
        instances.owned(caller, List.of(instanceId));
        return store.repos().migrations().ofInstance(instanceId, 20);
    }

    /** Gives up the caller's instance's unfinished migration (before its start on the destination); whether one was. */
    public boolean cancel(Principal caller, long instanceId) {
        instances.owned(caller, List.of(instanceId));
        Optional<MigrationRepo.Row> m = store.repos().migrations().unfinishedOf(instanceId);
        if (m.isEmpty()) return false;
        if (m.get().state() == MigrationState.STARTING) {
            throw new DomainException.Conflict(
                    "migration_starting",
                    "Instance " + instanceId + " is starting on machine "
                            + m.get().migration().toMachine() + "; it can no longer be canceled.");
        }
        rollBack(m.get(), "canceled by its owner");
        return true;
    }

    /** The destination held: GPUs out of its free count, the offer consumed, the migration recorded. */
    private MigrationRepo.Row reserve(Instance i, long offerId, List<Volume> volumes) {
        Instant now = clock.instant();
        long id = store.inTransaction(tx -> {
            OfferSlot offer = tx.offers().findActive(offerId).orElseThrow(() -> unavailable(offerId));
            Machine m = tx.machines()
                    .find(offer.machineId())
                    .filter(Machine::listed)
                    .orElseThrow(() -> unavailable(offerId));
            if (m.id() == i.machineId()) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "Offer " + offerId + " is on machine " + m.id() + ", where instance " + i.id()
                                + " already is; pick an offer of another machine.");
            }
            if (offer.numGpus() != i.numGpus()) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "Offer " + offerId + " has " + offer.numGpus() + " GPU(s); instance " + i.id() + " has "
                                + i.numGpus() + ". Pick an offer with the same count.");
            }
            double room = m.spec().diskSpaceGb() * offer.numGpus() / m.spec().numGpus();
            if (room < i.diskGb()) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "Offer " + offerId + " has " + room + " GB of disk; instance " + i.id() + " needs " + i.diskGb()
                                + " GB.");
            }
            Listing l = m.listing();
            ContractPrices prices = new ContractPrices(
                    l.gpuPricePerHour(),
                    l.diskPricePerGbMonth(),
                    l.inetUpPricePerGb(),
                    l.inetDownPricePerGb(),
                    l.endDate());
            long hourly = ContractTerms.of(offer.numGpus(), i.diskGb(), prices, platformFeePpm)
                    .hourly();
            HourOfCredit.shortfall(tx.ledger().balance(i.ownerId()), hourly, "instance type " + offerId)
                    .ifPresent(msg -> {
                        throw new DomainException.BadRequest("insufficient_credit", msg);
                    });
            int free = m.freeGpus() - offer.numGpus();
            if (free < 0) throw unavailable(offerId);
            Machine locked = tx.machines()
                    .setFreeGpusIf(m.id(), m.freeGpus(), free, now)
                    .orElseThrow(() -> unavailable(offerId));
            // checked with the machine's row locked: two moves to it cannot both take the same volume room
            MigrationVolumes.noRoom(tx, m.id(), volumes, now).ifPresent(why -> {
                throw new DomainException.BadRequest(
                        "invalid_args", "Offer " + offerId + " cannot take instance " + i.id() + ": " + why + ".");
            });
            if (!tx.offers().consume(offerId, now)) throw unavailable(offerId);
            tx.offers().replace(m.id(), Bundles.sizes(free, locked.listing().minChunk()), now);
            boolean running = i.intendedStatus() == IntendedStatus.RUNNING;
            // with a notice window it runs until then, told inside it as a preempted bid is (docs/migrate.md); a bid
            // that wants to run but has no GPUs now does not run on its host: nothing to tell, stopped at once
            Instant stopAt = MigrationRules.stopAt(i.desiredStatus() == IntendedStatus.RUNNING, notice, now)
                    .orElse(null);
            long migration = tx.migrations()
                    .create(
                            i.id(),
                            i.ownerId(),
                            i.machineId(),
                            m.id(),
                            offerId,
                            i.numGpus(),
                            prices,
                            platformFeePpm,
                            running,
                            stopAt,
                            "moving to machine " + m.id()
                                    + (stopAt != null
                                            ? ": notice given, it runs until " + stopAt + ", then is stopped"
                                            : running ? ": stopping it first" : ": queued"),
                            now);
            // a running instance is stopped first (docs/migrate.md); its intent comes back on a roll-back
            if (running && stopAt == null) tx.instances().setIntendedStatus(i.id(), IntendedStatus.STOPPED, now);
            return migration;
        });
        market.refresh(
                store.repos().migrations().find(id).orElseThrow().migration().toMachine());
        if (i.bid()) arbiter.arbitrate(i.machineId());
        revisions.bump(i.machineId());
        return store.repos().migrations().find(id).orElseThrow();
    }

    /**
     * GPUs unfinished migrations hold on this machine beyond its live contracts' (for a re-registering agent's free
     * count): the destination's while the instance's row is still on its source, and an on-demand source's after the
     * move until the start there succeeded.
     */
    int heldOn(Repos tx, long machineId) {
        int held = 0;
        for (MigrationRepo.Row row : tx.migrations().unfinishedTouching(machineId)) {
            Migration m = row.migration();
            boolean moved = row.state() == MigrationState.STARTING;
            if (m.toMachine() == machineId && !moved) held += row.numGpus();
            if (m.fromMachine() == machineId && moved && row.archiveId() != null) {
                boolean wasBid =
                        tx.instances().find(row.archiveId()).map(Instance::bid).orElse(false);
                if (!wasBid) held += row.numGpus();
            }
        }
        return held;
    }

    /** Drives every unfinished migration one step where it can go (the loop's work, and after a restart). */
    public void tick() {
        for (MigrationRepo.Row row : store.repos().migrations().unfinished()) advanceQuietly(row.id());
    }

    private void advanceQuietly(long id) {
        try {
            store.repos().migrations().find(id).ifPresent(this::advance);
        } catch (RuntimeException e) {
            LOG.warn("migration {} could not advance now; trying again: {}", id, e.toString());
        }
    }

    private synchronized void advance(MigrationRepo.Row row) {
        if (row.state().ended()) return;
        Instant now = clock.instant();
        Instance i = store.repos().instances().find(row.instanceId()).orElseThrow();
        if (i.destroyed()) {
            rollBack(row, "the instance was destroyed");
            return;
        }
        long balance = store.repos().ledger().balance(row.ownerId());
        Optional<String> giveUp = MigrationRules.mustRollBack(row.migration(), balance, now);
        if (giveUp.isPresent()) {
            rollBack(row, giveUp.get());
            return;
        }
        switch (row.state()) {
            case RESERVED -> {
                ActualStatus actual = i.agent().actualStatus();
                boolean stillRunning = actual == ActualStatus.RUNNING
                        || actual == ActualStatus.LOADING
                        || actual == ActualStatus.REBOOTING
                        || actual == ActualStatus.RECYCLING;
                switch (MigrationRules.source(
                        row.migration(), i.intendedStatus() == IntendedStatus.RUNNING, stillRunning, now)) {
                    case RUN_OUT_NOTICE, STOPPING -> {
                        return;
                    }
                    case STARTED_AGAIN -> {
                        rollBack(row, "its owner started it again on machine " + i.machineId());
                        return;
                    }
                    case STOP_NOW -> {
                        stopAfterNotice(row, i, now);
                        return;
                    }
                    case COPY -> {}
                }
                // the copy's record and the step in one transaction: a crash leaves neither an orphan copy nor a
                // migration copying nothing
                boolean begun = store.inTransaction(tx -> {
                    long copy = copies.startMigrationCopy(row.ownerId(), i.id(), now);
                    if (!tx.migrations()
                            .save(
                                    row.id(),
                                    MigrationState.RESERVED,
                                    MigrationRules.sourceStopped(row.migration(), now),
                                    copy,
                                    null,
                                    copyMessage(row, "copy queued"),
                                    now)) {
                        throw new IllegalStateException("migration " + row.id() + " changed meanwhile");
                    }
                    return true;
                });
                if (begun) bumpBoth(row, now);
            }
            case COPYING -> {
                CopyRepo.Transfer t = store.repos().copies().find(row.copyId()).orElseThrow();
                if (t.active()) {
                    String line = copyMessage(row, t.message());
                    if (!line.equals(row.message())) store.repos().migrations().progress(row.id(), line, now, now);
                } else if ("done".equals(t.state())) {
                    move(row, i, now);
                } else {
                    rollBack(row, "the copy " + t.state() + ": " + t.message());
                }
            }
            case STARTING -> {
                ActualStatus actual = i.agent().actualStatus();
                if (i.machineId() == row.migration().toMachine() && actual == ActualStatus.RUNNING) {
                    done(row, i, now);
                } else if (i.machineId() == row.migration().toMachine() && actual == ActualStatus.EXITED) {
                    rollBack(
                            row,
                            "the destination could not start it: " + i.agent().statusMsg());
                } else if (i.intendedStatus() != IntendedStatus.RUNNING) {
                    rollBack(
                            row,
                            "its owner stopped it before it ran on machine "
                                    + row.migration().toMachine());
                }
            }
            default -> {}
        }
    }

    /**
     * The source's notice ended: it is stopped now, as a request without a notice stops it (its intent comes back on a
     * roll-back); its agent, told it stopped, is no longer told the notice ({@link MigrationRules#inNotice}).
     */
    private void stopAfterNotice(MigrationRepo.Row row, Instance i, Instant now) {
        store.inTransaction(tx -> {
            tx.instances().setIntendedStatus(i.id(), IntendedStatus.STOPPED, now);
            tx.migrations().progress(row.id(), copyMessage(row, "notice ended, stopping it"), null, now);
            return null;
        });
        LOG.info(
                "instance {}: its notice ended; stopped to move to machine {}",
                i.id(),
                row.migration().toMachine());
        if (i.bid()) arbiter.arbitrate(i.machineId());
        revisions.bump(i.machineId());
    }

    /** The copy is done: the contract moves to the destination, which starts it. */
    private void move(MigrationRepo.Row row, Instance i, Instant now) {
        Migration m = row.migration();
        List<Volume> volumes;
        try {
            volumes = MigrationVolumes.of(store.repos(), i);
        } catch (DomainException e) {
            rollBack(row, e.getMessage()); // linked to another instance during the copy
            return;
        }
        if (!volumes.isEmpty()
                && store.repos().volumes().offerOfMachine(m.toMachine()).isEmpty()) {
            rollBack(row, "machine " + m.toMachine() + " no longer offers volume space");
            return;
        }
        long archive = store.inTransaction(tx -> {
            Machine dest = tx.machines().find(m.toMachine()).orElseThrow();
            // the destination's row locked (a no-op compare-and-set) so no rent takes the ports chosen here
            tx.machines().setFreeGpusIf(dest.id(), dest.freeGpus(), dest.freeGpus(), now);
            RentService.Ports ports = RentService.ports(
                    dest,
                    tx.instances().liveOnMachine(dest.id()),
                    new ArrayList<>(i.ports().keySet()));
            tx.migrations().setDestinationPorts(row.id(), ports.ssh(), ports.published());
            MigrationRepo.Moved moved = tx.migrations()
                    .moveContract(
                            i.id(),
                            new MigrationRepo.Placement(
                                    dest.id(),
                                    row.toOffer(),
                                    ports.ssh(),
                                    ports.published(),
                                    row.prices(),
                                    row.platformFeePpm(),
                                    false,
                                    null),
                            IntendedStatus.RUNNING.wire(),
                            "moved from machine " + m.fromMachine() + ": starting",
                            now);
            MigrationVolumes.moveTo(tx, volumes, dest.id(), moved.at());
            Migration next = MigrationRules.copied(m, moved.at());
            if (!tx.migrations()
                    .save(
                            row.id(),
                            MigrationState.COPYING,
                            next,
                            null,
                            moved.archiveId(),
                            "moved to machine " + m.toMachine() + ": starting",
                            now)) {
                throw new IllegalStateException("migration " + row.id() + " changed meanwhile");
            }
            return moved.archiveId();
        });
        LOG.info(
                "instance {} moved to machine {} (its past contract is {}); starting it",
                i.id(),
                m.toMachine(),
                archive);
        rented.changed(row.ownerId());
        market.refresh(m.fromMachine());
        market.refresh(m.toMachine());
        revisions.bump(m.fromMachine());
        revisions.bump(m.toMachine());
    }

    /** Running on the destination: the move is done; the old machine's GPUs go back and its disk may go. */
    private void done(MigrationRepo.Row row, Instance i, Instant now) {
        Migration m = row.migration();
        boolean oldWasBid = row.archiveId() != null
                && store.repos()
                        .instances()
                        .find(row.archiveId())
                        .map(Instance::bid)
                        .orElse(false);
        store.inTransaction(tx -> {
            if (!tx.migrations()
                    .save(
                            row.id(),
                            MigrationState.STARTING,
                            MigrationRules.started(m, now),
                            null,
                            null,
                            "moved to" + " machine " + m.toMachine() + " and running",
                            now)) return null;
            if (!oldWasBid) {
                Machine old = Gpus.release(tx, m.fromMachine(), row.numGpus(), now);
                if (old.listed())
                    tx.offers()
                            .replace(
                                    old.id(),
                                    Bundles.sizes(old.freeGpus(), old.listing().minChunk()),
                                    now);
            }
            return null;
        });
        LOG.info("instance {} runs on machine {}: migration {} done", i.id(), m.toMachine(), row.id());
        arbiter.arbitrate(m.fromMachine());
        market.refresh(m.fromMachine());
        revisions.bump(m.fromMachine());
    }

    /**
     * Gives up: the copy ended, the destination's GPUs go back, the contract moves back if it had moved, and the
     * instance is as it was (running again if it ran when asked).
     */
    private void rollBack(MigrationRepo.Row row, String reason) {
        Instant now = clock.instant();
        Migration m = row.migration();
        boolean wasMoved = row.state() == MigrationState.STARTING;
        store.inTransaction(tx -> {
            if (!tx.migrations()
                    .save(
                            row.id(),
                            row.state(),
                            MigrationRules.rollBack(m, reason, now),
                            null,
                            null,
                            "move to machine " + m.toMachine() + " given up: " + reason,
                            now)) return null;
            if (row.copyId() != null)
                tx.copies().end(row.copyId(), "canceled", "move to machine " + m.toMachine() + " given up", now);
            Instance i = tx.instances().find(row.instanceId()).orElseThrow();
            if (wasMoved && !i.destroyed() && row.archiveId() != null) {
                MigrationRepo.Placement old =
                        tx.migrations().placementOf(row.archiveId()).orElseThrow();
                MigrationRepo.Moved back = tx.migrations()
                        .moveContract(
                                i.id(),
                                old,
                                (row.wasRunning() ? IntendedStatus.RUNNING : IntendedStatus.STOPPED).wire(),
                                "back on machine " + m.fromMachine() + ": " + reason,
                                now);
                MigrationVolumes.moveBack(tx, i, m.toMachine(), back.at());
            } else if (!i.destroyed() && row.wasRunning() && i.machineId() == m.fromMachine()) {
                tx.instances().setIntendedStatus(i.id(), IntendedStatus.RUNNING, now);
            }
            Machine dest = Gpus.release(tx, m.toMachine(), row.numGpus(), now);
            if (dest.listed())
                tx.offers()
                        .replace(
                                dest.id(),
                                Bundles.sizes(dest.freeGpus(), dest.listing().minChunk()),
                                now);
            return null;
        });
        LOG.info("migration {} of instance {} rolled back: {}", row.id(), row.instanceId(), reason);
        if (wasMoved) rented.changed(row.ownerId());
        arbiter.arbitrate(m.fromMachine());
        market.refresh(m.toMachine());
        market.refresh(m.fromMachine());
        revisions.bump(m.fromMachine());
        revisions.bump(m.toMachine());
    }

    private static String copyMessage(MigrationRepo.Row row, String copyLine) {
        return "moving to machine " + row.migration().toMachine() + ": " + copyLine;
    }

    private void bumpBoth(MigrationRepo.Row row, Instant now) {
        store.repos().instances().bumpRevision(row.instanceId(), now);
        revisions.bump(row.migration().fromMachine());
        revisions.bump(row.migration().toMachine());
    }

    private static DomainException unavailable(long offerId) {
        return new DomainException.NotFound("no_such_ask", "Instance type by id " + offerId + " is not available.");
    }

    // ---- what the agents are told -------------------------------------------------------------------------------

    /**
     * What a machine's desired state gains from the migrations touching it: instances it must hold though their row
     * is elsewhere (the destination holds the instance stopped while the copy comes in; the source keeps its stopped
     * copy until the move is done), each copy's half, and the notice of a running source that runs out the notice
     * window before it is stopped.
     */
    public Overlay overlay(long machineId) {
        List<MigrationRepo.Row> rows = store.repos().migrations().unfinishedTouching(machineId);
        if (rows.isEmpty()) return Overlay.NONE;
        Instant now = clock.instant();
        Map<Long, Instance> guests = new LinkedHashMap<>();
        Map<Long, CopyTask> tasks = new HashMap<>();
        Map<Long, Volume> volumes = new LinkedHashMap<>();
        Map<Long, String> notices = new HashMap<>();
        for (MigrationRepo.Row row : rows) {
            Instance i = store.repos().instances().find(row.instanceId()).orElse(null);
            if (i == null || i.destroyed()) continue;
            // its volumes are kept on both machines until the move ends: the destination's storage made for the pull
            // to fill, the source's kept until the start there succeeded (a move back needs them)
            for (Volume v : MigrationVolumes.mounted(store.repos(), i)) volumes.put(v.id(), v);
            Migration m = row.migration();
            boolean copying = row.state() == MigrationState.COPYING && row.copyId() != null;
            CopyRepo.Transfer t = copying
                    ? store.repos()
                            .copies()
                            .find(row.copyId())
                            .filter(CopyRepo.Transfer::active)
                            .orElse(null)
                    : null;
            if (m.toMachine() == machineId && i.machineId() != machineId) {
                // held here stopped, without ports, while the copy comes in
                guests.put(i.id(), i);
                if (t != null) {
                    CopyTask pull = copies.migrationPull(t);
                    if (pull != null) tasks.put(i.id(), pull);
                }
            } else if (m.fromMachine() == machineId && i.machineId() != machineId) {
                guests.put(i.id(), i); // the old disk, kept until the start on the destination succeeded
            } else if (m.fromMachine() == machineId && t != null) {
                tasks.put(i.id(), copies.migrationServe(t));
            } else if (m.fromMachine() == machineId
                    && MigrationRules.inNotice(m, now)
                    && i.intendedStatus() == IntendedStatus.RUNNING) {
                // the same notice file a preempted bid gets, saying why and when (docs/bids.md)
                notices.put(i.id(), AgentService.noticeLine(noticeReason(m), m.stopAt()));
            }
        }
        return new Overlay(machineId, List.copyOf(guests.values()), tasks, List.copyOf(volumes.values()), notices);
    }

    /** Why a moving instance is told it will stop (its notice file's first words). */
    static String noticeReason(Migration m) {
        return "moving to another machine (machine " + m.toMachine() + ")";
    }

    /** See {@link #overlay}. */
    public record Overlay(
            long machineId,
            List<Instance> guests,
            Map<Long, CopyTask> tasks,
            List<Volume> volumes,
            Map<Long, String> notices) {
        static final Overlay NONE = new Overlay(-1, List.of(), Map.of(), List.of(), Map.of());

        public boolean isGuest(long instanceId) {
            for (Instance g : guests) if (g.id() == instanceId) return true;
            return false;
        }

        /**
         * The instance as this machine's agent is told it: a guest stopped and without ports; a copy's half added; a
         * source running out its notice told so (a bid's own preemption notice, if it has one, is kept: both stop it).
         */
        public DesiredInstance apply(DesiredInstance d) {
            boolean guest = isGuest(d.id());
            CopyTask task = tasks.get(d.id());
            String moveNotice = notices.get(d.id());
            if (!guest && task == null && moveNotice == null) return d;
            List<CopyTask> all = new ArrayList<>(d.copies());
            if (task != null) all.add(task);
            return new DesiredInstance(
                    d.id(),
                    d.revision(),
                    guest ? IntendedStatus.STOPPED.wire() : d.intendedStatus(),
                    d.rebootCount(),
                    d.image(),
                    d.env(),
                    d.onstart(),
                    d.args(),
                    d.argsStr(),
                    d.runtype(),
                    d.diskGb(),
                    d.numGpus(),
                    guest ? 0 : d.sshPort(),
                    guest ? Map.of() : d.ports(),
                    d.sshKeys(),
                    d.containerApiKey(),
                    d.publicIpaddr(),
                    d.label(),
                    guest ? List.of() : d.logRequests(),
                    guest ? null : d.preemptNotice() != null ? d.preemptNotice() : moveNotice,
                    d.imageLogin(),
                    d.volumes(),
                    d.recycleCount(),
                    all);
        }
    }
}
