package io.gpumarket.server.serverless;

import io.gpumarket.core.account.User;
import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.ActualStatus;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.RentFields;
import io.gpumarket.core.serverless.ScalingAction;
import io.gpumarket.core.serverless.ScalingRules;
import io.gpumarket.core.serverless.SearchParams;
import io.gpumarket.core.serverless.WorkerState;
import io.gpumarket.core.serverless.WorkerView;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.LaunchService;
import io.gpumarket.server.service.RentService;
import io.gpumarket.store.ServerlessRepo;
import io.gpumarket.store.ServerlessRepo.Endpoint;
import io.gpumarket.store.ServerlessRepo.Worker;
import io.gpumarket.store.ServerlessRepo.Workergroup;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler: every tick, for each endpoint, reads its workers (ordinary instances of the endpoint's owner,
 * billed as such), decides with {@link ScalingRules} and carries the decision out — renting through the worker
 * groups' template and search ({@link LaunchService}), starting, stopping and destroying through
 * {@link InstanceService}, as the owner. Every action, and every change of the endpoint's summary, is a line of the
 * endpoint's log.
 *
 * <p>One loop per server ({@code serverless-autoscaler} in {@code ServerApp}); {@link #tick} is the unit a lock
 * (a PostgreSQL advisory lock) can make exactly-one across replicas.
 */
public final class Autoscaler {
    private static final Logger LOG = LoggerFactory.getLogger(Autoscaler.class);
    /** A worker whose library has not reported it loaded after this long is counted failed and replaced. */
    public static final Duration LOAD_TIMEOUT = Duration.ofMinutes(10);
    /** A loaded worker silent for this long is counted failed. */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(60);

    /** How long a ready worker idles before it is stopped or destroyed, when the endpoint names no inactivity_timeout. */
    public static final Duration DEFAULT_IDLE_GRACE = Duration.ofSeconds(30);
    /** How often the loop in {@code ServerApp} ticks. */
    public static final Duration EVERY = Duration.ofSeconds(1);

    private final Store store;
    private final LaunchService launches;
    private final InstanceService instances;
    private final WorkerReports reports;
    private final RouteSigner signer;
    private final Clock clock;
    private final Map<Long, String> lastSummary = new ConcurrentHashMap<>();

    public Autoscaler(
            Store store,
            LaunchService launches,
            InstanceService instances,
            WorkerReports reports,
            RouteSigner signer,
            Clock clock) {
        this.store = store;
        this.launches = launches;
        this.instances = instances;
        this.reports = reports;
        this.signer = signer;
        this.clock = clock;
    }

    /** One pass over every endpoint; one endpoint's failure is logged and does not stop the others. */
    public void tick() {
        for (Endpoint e : store.repos().serverless().allEndpoints()) {
            try {
                tick(e);
            } catch (RuntimeException ex) {
                LOG.warn("autoscaler: endpoint {} not scaled this tick: {}", e.id(), ex.toString());
            }
        }
    }

    /** A worker with its instance and the state the rules see. */
    public record Seen(Worker worker, Instance instance, WorkerView view) {}

    /** The endpoint's workers as they stand now; rows of instances that are gone are dropped. */
    public List<Seen> workers(Endpoint e) {
        Instant now = clock.instant();
        List<Seen> out = new ArrayList<>();
        for (Worker w : store.repos().serverless().workersOfEndpoint(e.id())) {
            Optional<Instance> found = store.repos().instances().find(w.instanceId());
            if (found.isEmpty() || found.get().destroyedAt() != null) {
                store.repos().serverless().removeWorker(w.instanceId());
                reports.forget(w.instanceId());
                log(e, w.workergroupId(), "worker " + w.instanceId() + " is gone (destroyed outside the autoscaler)");
                continue;
            }
            Instance i = found.get();
            out.add(new Seen(w, i, view(i, now)));
        }
        return out;
    }

    private WorkerView view(Instance i, Instant now) {
        long id = i.id();
        double perf = Optional.ofNullable(reports.status(id))
                .map(WorkerReports.Status::maxPerf)
                .orElse(0.0);
        if (i.intendedStatus() == IntendedStatus.STOPPED)
            return new WorkerView(id, WorkerState.STOPPED, 0, perf, null, null);
        WorkerReports.Status s = reports.status(id);
        ActualStatus actual = i.agent().actualStatus();
        if (actual == ActualStatus.EXITED) return failed(id, perf, "its instance exited");
        if (s != null && s.error() != null) return failed(id, perf, s.error());
        if (s != null && s.loaded() && s.heard().plus(SILENT_AFTER).isBefore(now))
            return failed(id, perf, "silent for " + SILENT_AFTER.toSeconds() + " s");
        double load = reports.load(id, now);
        if (reports.ready(id, now))
            return new WorkerView(id, WorkerState.READY, load, perf, reports.idleSince(id, load, now), null);
        // loading since its instance last changed, or since this server first saw it (after a restart or a change of
        // the replica that runs the autoscaler no report has been heard yet: the worker is given its time again)
        Instant changed = i.updatedAt() == null ? i.createdAt() : i.updatedAt();
        Instant seen = reports.firstSeen(id, now);
        Instant since = seen.isAfter(changed) ? seen : changed;
        if ((s == null || !s.loaded()) && since.plus(LOAD_TIMEOUT).isBefore(now))
            return failed(id, perf, "not loaded after " + LOAD_TIMEOUT.toMinutes() + " min");
        return new WorkerView(id, WorkerState.LOADING, load, perf, null, null);
    }

    private static WorkerView failed(long id, double perf, String why) {
        return new WorkerView(id, WorkerState.ERRORED, 0, perf, null, why);
    }

    private void tick(Endpoint e) {
        Instant now = clock.instant();
        List<Seen> seen = workers(e);
        List<WorkerView> views = seen.stream().map(Seen::view).toList();
        double inFlight = views.stream().mapToDouble(WorkerView::load).sum();
        double waiting = reports.waitingLoad(e.id(), now);
        Optional<User> owner = store.repos().users().find(e.userId());
        if (owner.isEmpty()) return;
        Principal as = new Principal(owner.get(), 0, null);
        ScalingRules.Plan plan =
                ScalingRules.decide(e.settings(), views, inFlight, waiting, creditCovers(e, seen), idleGrace(e), now);
        String previous = lastSummary.put(e.id(), plan.summary());
        if (!plan.summary().equals(previous) || !plan.actions().isEmpty()) log(e, null, plan.summary());
        for (ScalingAction a : plan.actions()) {
            try {
                apply(e, as, a, seen);
            } catch (DomainException ex) {
                log(
                        e,
                        null,
                        "could not " + a.kind().name().toLowerCase(java.util.Locale.ROOT) + ": " + ex.getMessage());
            }
        }
    }

    /** How long a worker may idle before it is let go: the endpoint's {@code inactivity_timeout}, else 30 s. */
    static Duration idleGrace(Endpoint e) {
        Double t = e.settings().inactivityTimeout();
        return t == null ? DEFAULT_IDLE_GRACE : Duration.ofMillis((long) (t * 1000));
    }

    /** How many more running workers the owner's balance covers for an hour, at what its workers cost. */
    private int creditCovers(Endpoint e, List<Seen> seen) {
        long balance = store.repos().ledger().balance(e.userId());
        long hourlyRunning = 0;
        long perWorker = 0;
        for (Instance i : store.repos().instances().liveByOwner(e.userId())) {
            long h = ContractTerms.of(i.numGpus(), i.diskGb(), i.prices(), 0).hourly();
            if (i.intendedStatus() == IntendedStatus.RUNNING) hourlyRunning += h;
            if (seen.stream().anyMatch(s -> s.instance().id() == i.id())) perWorker = Math.max(perWorker, h);
        }
        long left = balance - hourlyRunning;
        if (left <= 0) return 0;
        // before any worker is known, renting itself refuses a worker the balance cannot carry for an hour
        if (perWorker == 0) return Integer.MAX_VALUE;
        return (int) Math.min(Integer.MAX_VALUE, left / perWorker);
    }

    private void apply(Endpoint e, Principal as, ScalingAction a, List<Seen> seen) {
        long groupOf = seen.stream()
                .filter(s -> s.worker().instanceId() == a.workerId())
                .map(s -> s.worker().workergroupId())
                .findFirst()
                .orElse(0L);
        switch (a.kind()) {
            case RENT -> rent(e, as, a);
            case START -> {
                reports.forget(a.workerId());
                instances.setState(as, List.of(a.workerId()), IntendedStatus.RUNNING);
                log(e, groupOf, a.reason());
            }
            case STOP -> {
                reports.forget(a.workerId());
                instances.setState(as, List.of(a.workerId()), IntendedStatus.STOPPED);
                log(e, groupOf, a.reason());
            }
            case DESTROY -> {
                reports.forget(a.workerId());
                store.repos().serverless().removeWorker(a.workerId());
                instances.destroy(as, List.of(a.workerId()));
                log(e, groupOf, a.reason());
            }
        }
    }

    private void rent(Endpoint e, Principal as, ScalingAction a) {
        List<Workergroup> groups = store.repos().serverless().workergroupsOfEndpoint(e.id());
        if (groups.isEmpty()) {
            log(e, null, "could not rent a worker: the endpoint has no worker group");
            return;
        }
        DomainException last = null;
        for (Workergroup g : groups) {
            try {
                RentService.Rented r = launches.launch(as, fields(e, g), g.templateHash(), query(g));
                store.repos()
                        .serverless()
                        .addWorker(new Worker(r.instance().id(), e.id(), g.id(), e.userId(), clock.instant()));
                log(
                        e,
                        g.id(),
                        a.reason() + " → worker " + r.instance().id() + " on machine "
                                + r.instance().machineId());
                return;
            } catch (DomainException ex) {
                last = ex;
            }
        }
        log(e, null, "could not rent a worker: " + last.getMessage());
    }

    private static Map<String, Object> query(Workergroup g) {
        Map<String, Object> q = new LinkedHashMap<>(SearchParams.parse(g.searchParams()));
        if (g.gpuRam() != null) q.putIfAbsent("gpu_ram", Map.of("gte", g.gpuRam() * 1000));
        return q;
    }

    /** The worker's fields: the group's image and env (a deployment's), and what the worker library reads. */
    private RentFields fields(Endpoint e, Workergroup g) {
        Map<String, Object> env = new LinkedHashMap<>();
        if (g.env() != null && !g.env().isBlank()) {
            for (String part : g.env().trim().split("\\s+-e\\s+|^-e\\s+")) {
                int eq = part.indexOf('=');
                if (eq > 0)
                    env.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        env.put("REPORT_ADDR", e.reportAddr());
        env.put("MASTER_TOKEN", signer.workerToken(e.id()));
        env.put("ENDPOINT_NAME", e.name());
        env.put("WORKERGROUP_ID", Long.toString(g.id()));
        return new RentFields(
                g.image(), env, null, null, null, null, "serverless " + e.name(), null, null, false, null);
    }

    /** Writes a line to the endpoint's log (and the server's, at debug). */
    public void log(Endpoint e, Long workergroupId, String line) {
        LOG.debug("endpoint {}: {}", e.id(), line);
        store.repos()
                .serverless()
                .log(e.id(), workergroupId == null || workergroupId == 0 ? null : workergroupId, line, clock.instant());
    }

    /** Forgets an endpoint's last summary (it was deleted). */
    public void forget(long endpointId) {
        lastSummary.remove(endpointId);
    }

    ServerlessRepo repo() {
        return store.repos().serverless();
    }
}
