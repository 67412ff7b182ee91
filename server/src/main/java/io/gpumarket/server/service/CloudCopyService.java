package io.gpumarket.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.CloudCopyTask;
import io.gpumarket.core.cloud.CloudConnectionSpec;
import io.gpumarket.core.cloud.CloudCopyRequest;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.text.StorableText;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.SecretBox;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.CloudRepo;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * vastai's cloud copy (docs/copy.md "Cloud copy"): a renter's S3-compatible connections, kept with their options
 * sealed ({@link SecretBox}, bound to the connection's owner and id) and never shown back but for a masked access
 * key; and copies, each one rclone run on the instance's machine, listed to its agent with the connection's
 * options only while the copy is active ({@link CloudCopyTask}). The agent reports progress, shown as the instance's
 * {@code status_msg}, and the end.
 */
public final class CloudCopyService {
    /** The longest progress or end line an agent may report. */
    static final int MAX_MESSAGE = 500;

    /** How many connections one account may keep. */
    static final int MAX_CONNECTIONS = 100;

    private static final Set<String> ENDS = Set.of("done", "failed");
    private static final TypeReference<Map<String, String>> OPTIONS = new TypeReference<>() {};

    private final Store store;
    private final InstanceService instances;
    private final MachineRevisions revisions;
    private final SecretBox box;
    private final Clock clock;

    public CloudCopyService(
            Store store, InstanceService instances, MachineRevisions revisions, SecretBox box, Clock clock) {
        this.store = store;
        this.instances = instances;
        this.revisions = revisions;
        this.box = box;
        this.clock = clock;
    }

    /** A connection as it is shown: Vast's {@code id}, {@code name}, {@code cloud_type}, and ours, masked. */
    public record Shown(long id, String name, String cloudType, String provider, String endpoint, String keyId) {}

    public List<Shown> connections(Principal caller) {
        List<Shown> out = new ArrayList<>();
        for (CloudRepo.Connection c : store.repos().cloud().connectionsOf(caller.userId())) {
            CloudConnectionSpec spec = open(c);
            out.add(new Shown(c.id(), c.name(), c.cloudType(), spec.provider(), spec.endpoint(), spec.maskedKeyId()));
        }
        return out;
    }

    /** Adds a connection; its id. */
    public long addConnection(Principal caller, CloudConnectionSpec spec) {
        String options;
        try {
            options = Wire.mapper().writeValueAsString(spec.rcloneOptions());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serialises", e);
        }
        return store.inTransaction(tx -> {
            CloudRepo repo = store.repos().cloud();
            if (repo.connectionsOf(caller.userId()).size() >= MAX_CONNECTIONS) {
                throw new DomainException.Conflict(
                        "too_many_connections",
                        "An account keeps at most " + MAX_CONNECTIONS + " cloud connections; delete one first.");
            }
            long id = repo.createConnection(caller.userId(), spec.name(), spec.cloudType(), clock.instant());
            repo.sealConnection(id, box.seal(place(caller.userId(), id), options));
            return id;
        });
    }

    /** Deletes the caller's connection, unless a copy still going uses it (its agent needs the options). */
    public void deleteConnection(Principal caller, long id) {
        if (store.repos().cloud().inUse(id)) {
            throw new DomainException.Conflict(
                    "connection_in_use",
                    "Cloud connection " + id + " is used by a cloud copy still going; cancel it first (vastai cancel"
                            + " sync INSTANCE).");
        }
        if (!store.repos().cloud().deleteConnection(caller.userId(), id)) throw noSuchConnection(id);
    }

    /**
     * Starts a copy on the caller's running or stopped instance with one of the caller's connections; the copy's id.
     *
     * @throws DomainException.Conflict when a cloud copy on the instance is still going (cancel it first)
     */
    public Started start(Principal caller, long instanceId, long connectionId, CloudCopyRequest request) {
        ShownInstance shown =
                instances.show(caller, instanceId).orElseThrow(() -> InstanceService.notFound(instanceId));
        if (!CopyService.filesReachable(shown.actualStatus())) {
            throw new DomainException.Conflict(
                    "instance_not_running",
                    "Instance " + instanceId + " is "
                            + (shown.actualStatus() == null
                                    ? "not yet started"
                                    : shown.actualStatus().wire())
                            + "; a cloud copy needs it running or stopped.");
        }
        CloudRepo.Connection c = store.repos()
                .cloud()
                .connection(connectionId)
                .filter(x -> x.ownerId() == caller.userId())
                .orElseThrow(() -> noSuchConnection(connectionId));
        Instant now = clock.instant();
        long id = store.inTransaction(tx -> {
            CloudRepo repo = store.repos().cloud();
            if (!repo.activeOn(List.of(instanceId)).isEmpty()) {
                throw new DomainException.Conflict(
                        "copy_in_progress",
                        "A cloud copy on instance " + instanceId + " is still going; cancel it first (vastai cancel"
                                + " sync " + instanceId + ").");
            }
            return repo.createCopy(
                    caller.userId(),
                    instanceId,
                    c.id(),
                    request.toCloud(),
                    request.instancePath(),
                    request.cloudPath(),
                    request.flags(),
                    "Cloud Copy queued (" + request.transfer() + ", connection " + c.name() + ")",
                    now);
        });
        bump(instanceId, now);
        String token = Secrets.newSecret();
        store.repos().cloud().setResultToken(id, Secrets.hash(token));
        return new Started(id, token);
    }

    /** A copy just started: its id, and the token of its result URL ({@code /instance_logs/<token>.log}). */
    public record Started(long id, String resultToken) {}

    /**
     * The text behind a cloud copy's result URL: its state ({@code active}, {@code done}, {@code failed},
     * {@code canceled}) and its last status line (rclone's progress, or how it ended); empty for an unknown token.
     */
    public Optional<String> result(String token) {
        return store.repos()
                .cloud()
                .copyByResultToken(Secrets.hash(token))
                .map(c -> "cloud copy " + c.id() + " on instance " + c.instanceId() + ": " + c.state() + "\n"
                        + c.message() + "\n");
    }

    /** Cancels every cloud copy on the caller's instance; how many were going. */
    public int cancel(Principal caller, long instanceId) {
        instances.owned(caller, List.of(instanceId));
        Instant now = clock.instant();
        int n = 0;
        for (CloudRepo.Copy c : store.repos().cloud().activeOn(List.of(instanceId))) {
            if (store.repos().cloud().end(c.id(), "canceled", "Cloud Copy canceled", now)) n++;
        }
        if (n > 0) bump(instanceId, now);
        return n;
    }

    /** The agent's report on a copy on one of its machine's instances. */
    public void report(Machine machine, long copyId, String state, String message) {
        CloudRepo.Copy c = store.repos()
                .cloud()
                .copy(copyId)
                .filter(x -> store.repos()
                                .instances()
                                .find(x.instanceId())
                                .map(Instance::machineId)
                                .orElse(-1L)
                        == machine.id())
                .orElseThrow(() -> new DomainException.NotFound(
                        "no_such_copy",
                        "No cloud copy " + copyId + " on an instance of machine " + machine.id() + "."));
        String line = message == null ? "" : message.strip();
        if (line.length() > MAX_MESSAGE || StorableText.firstUnstorable(line) >= 0) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'msg' must be storable text of at most " + MAX_MESSAGE + " characters");
        }
        Instant now = clock.instant();
        if (CloudRepo.ACTIVE.equals(state)) {
            store.repos().cloud().progress(c.id(), line, now);
        } else if (state != null && ENDS.contains(state)) {
            if (store.repos().cloud().end(c.id(), state, line, now)) bump(c.instanceId(), now);
        } else {
            throw new DomainException.BadRequest(
                    "invalid_args", "'state' must be active, done or failed, got " + state);
        }
    }

    /** The active copies on these instances (one machine's), with their connections' options, for its agent. */
    public List<CloudCopyTask> tasks(List<Instance> live) {
        if (live.isEmpty()) return List.of();
        List<CloudCopyTask> out = new ArrayList<>();
        Map<Long, CloudRepo.Connection> seen = new LinkedHashMap<>();
        for (CloudRepo.Copy c :
                store.repos().cloud().activeOn(live.stream().map(Instance::id).toList())) {
            CloudRepo.Connection conn = seen.computeIfAbsent(
                    c.connectionId(), id -> store.repos().cloud().connection(id).orElse(null));
            if (conn == null) continue; // deleting a connection in use is refused: only a race gets here
            out.add(new CloudCopyTask(
                    c.id(),
                    c.instanceId(),
                    c.toCloud(),
                    c.instancePath(),
                    c.cloudPath(),
                    c.flags(),
                    open(conn).rcloneOptions()));
        }
        return out;
    }

    private CloudConnectionSpec open(CloudRepo.Connection c) {
        try {
            Map<String, String> o =
                    Wire.mapper().readValue(box.open(place(c.ownerId(), c.id()), c.configSealed()), OPTIONS);
            return CloudConnectionSpec.fromOptions(c.name(), o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("connection " + c.id() + "'s sealed options are not a JSON object", e);
        }
    }

    private void bump(long instanceId, Instant now) {
        store.repos().instances().find(instanceId).ifPresent(i -> {
            store.repos().instances().bumpRevision(instanceId, now);
            revisions.bump(i.machineId());
        });
    }

    private static String place(long ownerId, long id) {
        return "cloud connection " + id + " of user " + ownerId;
    }

    private static DomainException noSuchConnection(long id) {
        return new DomainException.NotFound("no_such_connection", "Cloud connection " + id + " not found.");
    }
}
