package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.ExecuteCommand;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.LogTicket;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Instance logs, Vast's way (docs/vast-compatibility.md §b.2 request_logs): the renter asks, gets a result URL at once, and polls it
 * without a key until it answers 200. Between the two, the request travels to the machine's agent in its desired
 * state, and the agent uploads the text under the request's random token.
 */
public final class LogService {
    /** A request the agent has not answered by then is no longer sent to it (the renter's client gave up long ago). */
    public static final Duration PENDING_FOR = Duration.ofMinutes(10);

    public static final int MAX_TAIL = 1_000_000;

    /** How long an execute result stays at its URL (vastai polls it for ~9 s; a person may look a while later). */
    public static final Duration EXECUTE_RESULT_FOR = Duration.ofHours(1);

    private final Store store;
    private final InstanceService instances;
    private final MachineRevisions revisions;
    private final Clock clock;

    public LogService(Store store, InstanceService instances, MachineRevisions revisions, Clock clock) {
        this.store = store;
        this.instances = instances;
        this.revisions = revisions;
        this.clock = clock;
    }

    /**
     * @param tail   the last lines wanted, 0 or null for all
     * @param filter only lines containing it; null or empty for all
     * @return the token of the result URL
     */
    public String request(Principal caller, long instanceId, Integer tail, String filter) {
        if (tail != null && (tail < 0 || tail > MAX_TAIL)) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'tail' must be between 0 and " + MAX_TAIL + ", got " + tail);
        }
        Instance i = instances.owned(caller, List.of(instanceId)).get(0);
        String token = Secrets.newSecret();
        Instant now = clock.instant();
        store.repos()
                .instanceLogs()
                .create(
                        token,
                        i.id(),
                        tail == null ? 0 : tail,
                        filter == null || filter.isEmpty() ? null : filter,
                        now);
        store.repos().instances().bumpRevision(i.id(), now);
        revisions.bump(i.machineId());
        return token;
    }

    /**
     * execute ({@code PUT /instances/command/{id}/}): judges the command ({@link ExecuteCommand}: ls, rm, du and
     * their safe flags only) and sends it to the instance's agent on the log-request channel; the agent runs it
     * inside the instance (bounded in output and time) and uploads its output under the returned token.
     *
     * @return the token of the result URL
     */
    public String execute(Principal caller, long instanceId, String commandText) {
        ExecuteCommand command = ExecuteCommand.parse(commandText);
        Instance i = instances.owned(caller, List.of(instanceId)).get(0);
        String token = Secrets.newSecret();
        Instant now = clock.instant();
        store.repos().instanceLogs().createCommand(token, i.id(), command.argv(), now, now.plus(EXECUTE_RESULT_FOR));
        store.repos().instances().bumpRevision(i.id(), now);
        revisions.bump(i.machineId());
        return token;
    }

    /** The machine's requests its agent has yet to answer. */
    public List<LogTicket> pending(long machineId) {
        return store.repos()
                .instanceLogs()
                .pendingOnMachine(machineId, clock.instant().minus(PENDING_FOR));
    }

    /** The agent's upload; only for a request of an instance on the uploading machine, and only once. */
    public void upload(Machine machine, String token, String text) {
        LogTicket ticket = store.repos()
                .instanceLogs()
                .find(token)
                .filter(t -> store.repos()
                                .instances()
                                .find(t.instanceId())
                                .map(Instance::machineId)
                                .orElse(-1L)
                        == machine.id())
                .orElseThrow(() -> new DomainException.NotFound(
                        "no_such_log_request", "No log request with this token for machine " + machine.id() + "."));
        if (!store.repos().instanceLogs().upload(ticket.token(), text, clock.instant())) {
            throw new DomainException.Conflict("already_uploaded", "The logs of this request were uploaded already.");
        }
        revisions.bump(machine.id());
    }

    /** The uploaded text; empty until the agent has uploaded it. */
    public Optional<String> content(String token) {
        return store.repos().instanceLogs().content(token, clock.instant());
    }
}
