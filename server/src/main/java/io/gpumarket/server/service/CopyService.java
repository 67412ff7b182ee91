package io.gpumarket.server.service;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.CopyTask;
import io.gpumarket.core.copy.CopyLocation;
import io.gpumarket.core.copy.CopyRequest;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.text.StorableText;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.SecretBox;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.CopyRepo;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * vastai's {@code copy} (docs/copy.md). Between the caller's machine and an instance ({@code PUT /commands/rsync/}):
 * the server only says where the instance's SSH door is; the client then runs rsync's daemon protocol over ssh to
 * it as {@code vastai_kaalia@ADDR::ID/path}, which the agent serves inside the instance (agent {@code
 * ssh/RsyncDaemon}). Between two instances ({@code PUT /commands/copy_direct/}): a copy record with a one-time
 * ticket; the destination's agent is given the ticket and pulls from the source's door, the source's agent only
 * the ticket's hash to let that one client in ({@link CopyTask}); either end may be stopped (its agent serves the
 * files at rest, docs/copy.md); the destination's agent reports progress, shown
 * as the destination's {@code status_msg}, and the end.
 */
public final class CopyService {
    /** Where rsync connects: the machine's address and the instance's SSH port. */
    public record Door(String addr, int port) {}

    /** The longest progress or end line an agent may report. */
    static final int MAX_MESSAGE = 500;

    private static final Set<String> ENDS = Set.of("done", "failed");

    private final Store store;
    private final InstanceService instances;
    private final MachineRevisions revisions;
    private final SecretBox box;
    private final Clock clock;

    public CopyService(Store store, InstanceService instances, MachineRevisions revisions, SecretBox box, Clock clock) {
        this.store = store;
        this.instances = instances;
        this.revisions = revisions;
        this.box = box;
        this.clock = clock;
    }

    /** The door of the request's instance end, which must be the caller's, running or stopped, with an SSH port. */
    public Door rsync(Principal caller, CopyRequest request) {
        return door(caller, request.remoteForRsync().id());
    }

    /**
     * Starts an instance-to-instance copy: both instances the caller's, running or stopped. The copy's id.
     *
     * @throws DomainException.Conflict when a copy into the same destination is still going (cancel it first)
     */
    public long direct(Principal caller, CopyRequest request) {
        CopyLocation.OfInstance[] ends = request.instances();
        door(caller, ends[0].id());
        door(caller, ends[1].id());
        CopyRepo copies = store.repos().copies();
        if (!copies.activeInto(ends[1].id()).isEmpty()) {
            throw new DomainException.Conflict(
                    "copy_in_progress",
                    "A copy into instance " + ends[1].id() + " is still going; cancel it first (vastai cancel copy "
                            + ends[1].id() + ").");
        }
        String ticket = Secrets.newSecret();
        String hash = Secrets.hash(ticket);
        Instant now = clock.instant();
        long id = copies.create(
                caller.userId(),
                ends[0].id(),
                ends[1].id(),
                request.srcPath(),
                request.dstPath(),
                hash,
                box.seal(place(hash), ticket),
                "copy from C." + ends[0].id() + " queued",
                now);
        bump(List.of(ends[0].id(), ends[1].id()), now);
        return id;
    }

    /** Cancels every copy into {@code dstId} (the caller's instance); how many were going. */
    public int cancel(Principal caller, long dstId) {
        instances.owned(caller, List.of(dstId));
        Instant now = clock.instant();
        int n = 0;
        List<Long> touched = new ArrayList<>();
        for (CopyRepo.Transfer t : store.repos().copies().activeInto(dstId)) {
            if (store.repos().copies().end(t.id(), "canceled", "copy from C." + t.srcInstance() + " canceled", now)) {
                n++;
                touched.add(t.srcInstance());
                touched.add(t.dstInstance());
            }
        }
        bump(touched, now);
        return n;
    }

    /**
     * A destination agent's report on a copy into one of its machine's instances: progress while {@code state} is
     * {@code active}, else its end ({@code done} or {@code failed}).
     */
    public void report(Machine machine, long copyId, String state, String message) {
        CopyRepo.Transfer t = store.repos()
                .copies()
                .find(copyId)
                .filter(c -> pullingMachine(c) == machine.id())
                .orElseThrow(() -> new DomainException.NotFound(
                        "no_such_copy", "No copy " + copyId + " into an instance of machine " + machine.id() + "."));
        String line = message == null ? "" : message.strip();
        if (line.length() > MAX_MESSAGE || StorableText.firstUnstorable(line) >= 0) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'msg' must be storable text of at most " + MAX_MESSAGE + " characters");
        }
        Instant now = clock.instant();
        if (CopyRepo.ACTIVE.equals(state)) {
            store.repos().copies().progress(t.id(), line, now);
        } else if (state != null && ENDS.contains(state)) { // Set.of's contains throws on null
            if (store.repos().copies().end(t.id(), state, line, now))
                bump(List.of(t.srcInstance(), t.dstInstance()), now);
        } else {
            throw new DomainException.BadRequest(
                    "invalid_args", "'state' must be active, done or failed, got " + state);
        }
    }

    /**
     * The machine whose agent pulls a copy: the destination instance's, or for a migration's copy (source and
     * destination the same instance, docs/migrate.md) the machine the instance is moving to.
     */
    private long pullingMachine(CopyRepo.Transfer c) {
        if (c.srcInstance() == c.dstInstance()) {
            return store.repos()
                    .migrations()
                    .unfinishedOf(c.srcInstance())
                    .filter(m -> c.id() == (m.copyId() == null ? -1 : m.copyId()))
                    .map(m -> m.migration().toMachine())
                    .orElse(-1L);
        }
        return store.repos()
                .instances()
                .find(c.dstInstance())
                .map(Instance::machineId)
                .orElse(-1L);
    }

    /**
     * Starts a migration's copy of a stopped instance's whole disk to the machine it moves to (docs/migrate.md): the
     * same ticketed record as an instance-to-instance copy, with the instance as both ends. Its id.
     */
    long startMigrationCopy(long ownerId, long instanceId, Instant now) {
        String ticket = Secrets.newSecret();
        String hash = Secrets.hash(ticket);
        return store.repos()
                .copies()
                .create(
                        ownerId,
                        instanceId,
                        instanceId,
                        "/",
                        "/",
                        hash,
                        box.seal(place(hash), ticket),
                        "copy queued",
                        now);
    }

    /** The source's half of a migration's copy: the ticket's hash its door lets in. */
    CopyTask migrationServe(CopyRepo.Transfer t) {
        return new CopyTask(t.id(), CopyTask.SERVE, null, t.ticketHash(), t.dstInstance(), null, 0, "/", "/");
    }

    /** The destination's half: the ticket and where the source's door is; null while the source has none. */
    CopyTask migrationPull(CopyRepo.Transfer t) {
        Door src = sourceDoor(t.srcInstance());
        if (src == null || t.ticketSealed() == null) return null;
        return new CopyTask(
                t.id(),
                CopyTask.PULL,
                box.open(place(t.ticketHash()), t.ticketSealed()),
                t.ticketHash(),
                t.srcInstance(),
                src.addr(),
                src.port(),
                "/",
                "/");
    }

    /** What each of these instances (one machine's) takes part in, as its agent is told it. */
    public Map<Long, List<CopyTask>> tasks(List<Instance> live) {
        Map<Long, Instance> here = new HashMap<>();
        for (Instance i : live) here.put(i.id(), i);
        Map<Long, List<CopyTask>> out = new HashMap<>();
        for (CopyRepo.Transfer t : store.repos().copies().activeFor(here.keySet())) {
            if (t.srcInstance() == t.dstInstance()) continue; // a migration's copy: MigrationService lists its halves
            if (here.containsKey(t.srcInstance())) {
                out.computeIfAbsent(t.srcInstance(), k -> new ArrayList<>())
                        .add(new CopyTask(
                                t.id(),
                                CopyTask.SERVE,
                                null,
                                t.ticketHash(),
                                t.dstInstance(),
                                null,
                                0,
                                t.srcPath(),
                                t.dstPath()));
            }
            if (here.containsKey(t.dstInstance())) {
                Door src = sourceDoor(t.srcInstance());
                if (src == null) continue; // the source went away: the copy ends when it is destroyed or canceled
                out.computeIfAbsent(t.dstInstance(), k -> new ArrayList<>())
                        .add(new CopyTask(
                                t.id(),
                                CopyTask.PULL,
                                box.open(place(t.ticketHash()), t.ticketSealed()),
                                t.ticketHash(),
                                t.srcInstance(),
                                src.addr(),
                                src.port(),
                                t.srcPath(),
                                t.dstPath()));
            }
        }
        return out;
    }

    private Door sourceDoor(long instanceId) {
        Instance i = store.repos().instances().find(instanceId).orElse(null);
        if (i == null || i.destroyed() || i.sshPort() <= 0) return null;
        Machine m = store.repos().machines().find(i.machineId()).orElse(null);
        String addr = m == null ? "" : address(m.spec());
        return addr.isEmpty() ? null : new Door(addr, i.sshPort());
    }

    /**
     * Whether an instance in this state has files its agent can copy: running, or stopped or exited (the agent serves
     * a stopped instance's files at rest, as Vast does); not while it is being created, started, restarted or
     * recycled, nor while its machine is not heard from.
     */
    static boolean filesReachable(ActualStatus s) {
        return s == ActualStatus.RUNNING || s == ActualStatus.STOPPED || s == ActualStatus.EXITED;
    }

    private Door door(Principal caller, long id) {
        ShownInstance shown = instances.show(caller, id).orElseThrow(() -> InstanceService.notFound(id));
        if (!filesReachable(shown.actualStatus())) {
            throw new DomainException.Conflict(
                    "instance_not_running",
                    "Instance " + id + " is "
                            + (shown.actualStatus() == null
                                    ? "not yet started"
                                    : shown.actualStatus().wire())
                            + "; copying to or from it needs it running or stopped.");
        }
        int port = shown.instance().sshPort();
        String addr = address(shown.machine().spec());
        if (port <= 0 || addr.isEmpty()) {
            throw new DomainException.Conflict(
                    "no_ssh", "Instance " + id + "'s machine publishes no SSH port to copy through.");
        }
        return new Door(addr, port);
    }

    /** The instances' revisions and their machines' move, so both agents hear of the change on their long poll. */
    private void bump(List<Long> instanceIds, Instant now) {
        for (long id : Set.copyOf(instanceIds)) {
            store.repos().instances().find(id).ifPresent(i -> {
                store.repos().instances().bumpRevision(id, now);
                revisions.bump(i.machineId());
            });
        }
    }

    private static String place(String ticketHash) {
        return "copy ticket " + ticketHash;
    }

    /** The address clients reach the machine at, as the instance's {@code ssh_host} shows it. */
    static String address(MachineSpec spec) {
        if (spec.publicIpaddr() != null && !spec.publicIpaddr().isBlank()) return spec.publicIpaddr();
        return spec.hostname() == null ? "" : spec.hostname();
    }
}
