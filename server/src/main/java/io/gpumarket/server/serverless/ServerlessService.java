package io.gpumarket.server.serverless;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.serverless.EndpointSettings;
import io.gpumarket.core.serverless.SearchParams;
import io.gpumarket.core.serverless.WorkerState;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.TemplateService;
import io.gpumarket.store.ServerlessRepo;
import io.gpumarket.store.ServerlessRepo.Deployment;
import io.gpumarket.store.ServerlessRepo.Endpoint;
import io.gpumarket.store.ServerlessRepo.Workergroup;
import io.gpumarket.store.Store;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Serverless endpoints, worker groups, deployments, routing and the workers' reports (docs/serverless.md). Owners see
 * and change only their own; another's endpoint answers as a missing one.
 */
public final class ServerlessService {
    /** The longest endpoint name, and the most lines a log call answers. */
    public static final int MAX_NAME = 128;

    public static final int MAX_TAIL = 10_000;
    private static final Set<String> GROUP_SETTINGS =
            Set.of("min_load", "min_cold_load", "target_util", "cold_mult", "cold_workers", "max_workers");

    private final Store store;
    private final TemplateService templates;
    private final InstanceService instances;
    private final Autoscaler autoscaler;
    private final WorkerReports reports;
    private final RouteSigner signer;
    private final Clock clock;

    public ServerlessService(
            Store store,
            TemplateService templates,
            InstanceService instances,
            Autoscaler autoscaler,
            WorkerReports reports,
            RouteSigner signer,
            Clock clock) {
        this.store = store;
        this.templates = templates;
        this.instances = instances;
        this.autoscaler = autoscaler;
        this.reports = reports;
        this.signer = signer;
        this.clock = clock;
    }

    private ServerlessRepo repo() {
        return store.repos().serverless();
    }

    public RouteSigner signer() {
        return signer;
    }

    // ---- endpoints

    public Endpoint createEndpoint(Principal caller, Map<String, Object> body, String reportAddr) {
        String name = name(body.get("endpoint_name"));
        EndpointSettings s = EndpointSettings.DEFAULTS.with(body);
        return repo().addEndpoint(caller.userId(), name, s, reportAddr, clock.instant())
                .orElseThrow(() -> new DomainException.BadRequest(
                        "duplicate_endpoint", "You have an endpoint named " + name + " already."));
    }

    public List<Endpoint> endpoints(Principal caller) {
        return repo().endpointsOf(caller.userId());
    }

    public Endpoint endpoint(Principal caller, long id) {
        return repo().endpoint(id)
                .filter(e -> e.userId() == caller.userId())
                .orElseThrow(() -> new DomainException.NotFound("no_such_endpoint", "No endpoint " + id + "."));
    }

    public Endpoint updateEndpoint(Principal caller, long id, Map<String, Object> body) {
        Endpoint e = endpoint(caller, id);
        String name = body.get("endpoint_name") == null ? e.name() : name(body.get("endpoint_name"));
        EndpointSettings s = e.settings().with(body);
        if (!name.equals(e.name())
                && repo().endpointsOf(caller.userId()).stream()
                        .anyMatch(o -> o.name().equals(name))) {
            throw new DomainException.BadRequest(
                    "duplicate_endpoint", "You have an endpoint named " + name + " already.");
        }
        repo().updateEndpoint(id, name, s);
        if (!s.equals(e.settings())) autoscaler.log(e, null, "settings changed: " + s);
        return endpoint(caller, id);
    }

    /** Deletes the endpoint: its workers are destroyed (nothing is charged for an endpoint without workers). */
    public void deleteEndpoint(Principal caller, long id) {
        Endpoint e = endpoint(caller, id);
        List<Long> workers = repo().workersOfEndpoint(id).stream()
                .map(ServerlessRepo.Worker::instanceId)
                .toList();
        workers.forEach(reports::forget);
        if (!workers.isEmpty())
            instances.destroy(
                    caller,
                    instances.owned(caller, workers).stream().map(i -> i.id()).toList());
        repo().removeEndpoint(e.id());
        autoscaler.forget(e.id());
    }

    /** The endpoint's key clients route with (also accepted: the owner's own API key). */
    public String endpointKey(Endpoint e) {
        return signer.endpointKey(e.id());
    }

    // ---- worker groups

    public Workergroup createWorkergroup(Principal caller, Map<String, Object> body) {
        Endpoint e = endpointOf(caller, body);
        String template = text(body.get("template_hash"), "template_hash");
        if (template == null && body.get("template_id") != null)
            throw new DomainException.BadRequest(
                    "invalid_args", "template_id alone is not supported: give template_hash");
        if (template == null) throw new DomainException.BadRequest("invalid_args", "template_hash is required");
        templates.usable(caller, template);
        Object search = body.get("search_params");
        SearchParams.parse(search);
        Workergroup g = new Workergroup(
                0,
                caller.userId(),
                e.id(),
                template,
                null,
                null,
                search == null ? "" : search instanceof String s ? s : jsonText(search),
                text(body.get("launch_args"), "launch_args"),
                positive(body.get("gpu_ram"), "gpu_ram"),
                count(body.get("test_workers"), "test_workers", 3),
                groupSettings(body),
                clock.instant());
        Workergroup added = repo().addWorkergroup(g, clock.instant());
        autoscaler.log(
                e,
                added.id(),
                "worker group " + added.id() + " added: template " + template + ", search '" + added.searchParams()
                        + "'");
        return added;
    }

    public List<Workergroup> workergroups(Principal caller) {
        return repo().workergroupsOf(caller.userId());
    }

    public Workergroup workergroup(Principal caller, long id) {
        return repo().workergroup(id)
                .filter(g -> g.userId() == caller.userId())
                .orElseThrow(() -> new DomainException.NotFound("no_such_workergroup", "No worker group " + id + "."));
    }

    public Workergroup updateWorkergroup(Principal caller, long id, Map<String, Object> body) {
        Workergroup g = workergroup(caller, id);
        long endpointId = g.endpointId();
        if (body.get("endpoint_id") != null || body.get("endpoint_name") != null)
            endpointId = endpointOf(caller, body).id();
        String template = text(body.get("template_hash"), "template_hash");
        if (template != null) templates.usable(caller, template);
        Object search = body.get("search_params");
        if (search != null) SearchParams.parse(search);
        Workergroup changed = new Workergroup(
                g.id(),
                g.userId(),
                endpointId,
                template == null ? g.templateHash() : template,
                g.image(),
                g.env(),
                search == null || "".equals(search)
                        ? g.searchParams()
                        : search instanceof String s ? s : jsonText(search),
                body.get("launch_args") == null ? g.launchArgs() : text(body.get("launch_args"), "launch_args"),
                body.get("gpu_ram") == null ? g.gpuRam() : positive(body.get("gpu_ram"), "gpu_ram"),
                count(body.get("test_workers"), "test_workers", g.testWorkers()),
                body.keySet().stream().anyMatch(k -> GROUP_SETTINGS.contains(k) && body.get(k) != null)
                        ? groupSettings(body)
                        : g.settings(),
                g.createdAt());
        repo().updateWorkergroup(changed);
        return workergroup(caller, id);
    }

    /** Deletes the group; as on Vast, its workers are not destroyed (they stay the owner's instances). */
    public void deleteWorkergroup(Principal caller, long id) {
        Workergroup g = workergroup(caller, id);
        repo().removeWorkergroup(g.id());
        repo().endpoint(g.endpointId()).ifPresent(e -> autoscaler.log(e, null, "worker group " + id + " deleted"));
    }

    // ---- workers and logs

    public List<Autoscaler.Seen> workers(Principal caller, long endpointId, Long workergroupId) {
        Endpoint e = endpoint(caller, endpointId);
        return autoscaler.workers(e).stream()
                .filter(s -> workergroupId == null || s.worker().workergroupId() == workergroupId)
                .toList();
    }

    public WorkerReports reports() {
        return reports;
    }

    public String logs(Principal caller, long endpointId, Long workergroupId, Integer tail) {
        endpoint(caller, endpointId);
        int n = tail == null ? 1000 : Math.max(0, Math.min(MAX_TAIL, tail));
        StringBuilder b = new StringBuilder();
        for (ServerlessRepo.LogLine l : repo().logs(endpointId, workergroupId, n))
            b.append(l.at()).append(' ').append(l.line()).append('\n');
        return b.toString();
    }

    // ---- routing

    /** What {@code POST /route/} answers: a ready worker's URL, signed, or a "waiting" status. */
    public Map<String, Object> route(
            String endpointName,
            String key,
            java.util.function.Function<String, Long> ownerOf,
            double cost,
            long requestIdx) {
        if (endpointName == null) throw new DomainException.BadRequest("invalid_args", "endpoint is required");
        List<Endpoint> named = repo().endpointsNamed(endpointName);
        // the endpoint's own key first (what the client library sends); the owner's API key only when it is not one
        Optional<Endpoint> byKey = named.stream()
                .filter(c -> key != null && equal(signer.endpointKey(c.id()), key))
                .findFirst();
        Long owner = byKey.isPresent() || named.isEmpty() ? null : ownerOf.apply(key);
        Endpoint e = byKey.or(() -> named.stream()
                        .filter(c -> owner != null && c.userId() == owner)
                        .findFirst())
                .orElseThrow(() -> new DomainException.Unauthorized(
                        "auth_error",
                        "authenticate_endpoint_apikey: invalid api_key or endpoint " + endpointName + " not found"));
        if (!(cost >= 0) || cost > 1e12)
            throw new DomainException.BadRequest("invalid_args", "cost must be from 0 to 1e12");
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("endpoint", e.name());
        Optional<Long> best = Optional.empty();
        double bestShare = Double.MAX_VALUE;
        // a request routed before and routed again: its worker failed it, so it goes elsewhere and that worker
        // is shunned for a while (the client library retries at once, and would be sent back to it)
        reports.routedTo(requestIdx).ifPresent(w -> reports.shun(w, now));
        if (!"stopped".equals(e.settings().state())) {
            for (ServerlessRepo.Worker w : repo().workersOfEndpoint(e.id())) {
                WorkerReports.Status s = reports.status(w.instanceId());
                if (s == null || !reports.ready(w.instanceId(), now)) continue;
                double share = reports.load(w.instanceId(), now) / Math.max(s.maxPerf(), 1e-6);
                if (share < bestShare) {
                    bestShare = share;
                    best = Optional.of(w.instanceId());
                }
            }
        }
        if (best.isEmpty()) {
            long idx = reports.waiting(e.id(), cost, requestIdx, now);
            out.put("status", "stopped".equals(e.settings().state()) ? "Stopped" : "Waiting for a ready worker");
            out.put("request_idx", idx);
            return out;
        }
        long worker = best.get();
        WorkerReports.Status chosen = reports.status(worker);
        if (chosen == null) {
            // forgotten (stopped) between the choice and now: the client polls again
            out.put("status", "Waiting for a ready worker");
            out.put("request_idx", reports.waiting(e.id(), cost, requestIdx, now));
            return out;
        }
        String url = chosen.url();
        long idx = reports.assign(e.id(), worker, cost, requestIdx, now);
        out.put("url", url);
        out.put("cost", cost);
        out.put("reqnum", idx);
        out.put("request_idx", idx);
        out.put("signature", signer.sign(url));
        out.put("__request_id", java.util.UUID.randomUUID().toString());
        return out;
    }

    /** A worker's report; the token is its endpoint's {@code MASTER_TOKEN}. */
    public void workerStatus(Map<String, Object> body) {
        long id = worker(body);
        reports.status(
                id,
                number(body.get("loadtime")),
                number(body.get("max_perf")),
                number(body.get("cur_load")),
                body.get("error_msg") instanceof String s ? s : null,
                body.get("url") instanceof String u && !u.isBlank() ? u : null,
                clock.instant());
    }

    /** A worker's finished requests. */
    public int deleteRequests(Map<String, Object> body) {
        long id = worker(body);
        List<Long> idxs = new ArrayList<>();
        if (body.get("requests") instanceof List<?> list) {
            for (Object r : list)
                if (r instanceof Map<?, ?> m && m.get("request_idx") instanceof Number n) idxs.add(n.longValue());
        }
        reports.finished(id, idxs);
        return idxs.size();
    }

    private long worker(Map<String, Object> body) {
        Object rawId = body.containsKey("worker_id") ? body.get("worker_id") : body.get("id");
        String token = body.get("mtoken") instanceof String t ? t : null;
        if (!(rawId instanceof Number n) || token == null)
            throw new DomainException.Unauthorized("auth_error", "a worker report needs its id and mtoken");
        long id = n.longValue();
        Optional<ServerlessRepo.Worker> w = repo().worker(id);
        if (w.isEmpty() || !equal(signer.workerToken(w.get().endpointId()), token))
            throw new DomainException.Unauthorized("auth_error", "unknown worker or wrong mtoken");
        return id;
    }

    // ---- deployments

    public record PutResult(Deployment deployment, String action) {}

    /** Creates or updates a deployment and the endpoint and worker group serving it. */
    public PutResult putDeployment(Principal caller, Map<String, Object> body, String reportAddr) {
        String name = name(body.get("name"));
        String tag = body.get("tag") == null ? "default" : name(body.get("tag"));
        String image = text(body.get("image"), "image");
        String fileHash = text(body.get("file_hash"), "file_hash");
        if (image == null || fileHash == null)
            throw new DomainException.BadRequest("invalid_args", "name, image, file_hash and file_size are required");
        Object size = body.get("file_size");
        if (!(size instanceof Number n) || n.longValue() < 0)
            throw new DomainException.BadRequest("invalid_args", "file_size must be a whole number of bytes");
        String env = text(body.get("env"), "env");
        Object search = body.get("search_params");
        SearchParams.parse(search);
        String searchText = search == null ? "" : search instanceof String s ? s : jsonText(search);
        Double storage = positive(body.get("storage"), "storage");
        Double ttl = positive(body.get("ttl"), "ttl");
        Instant now = clock.instant();
        Optional<Deployment> existing = repo().deployment(caller.userId(), name, tag);
        Endpoint e = existing.flatMap(d -> Optional.ofNullable(d.endpointId()))
                .flatMap(id -> repo().endpoint(id))
                .orElse(null);
        String action;
        if (e == null) {
            String endpointName = tag.equals("default") ? name : name + "-" + tag;
            Map<String, Object> settings = new LinkedHashMap<>(body);
            settings.put("endpoint_name", endpointName);
            e = repo().endpointsOf(caller.userId()).stream()
                    .filter(x -> x.name().equals(endpointName))
                    .findFirst()
                    .orElse(null);
            if (e == null) e = createEndpoint(caller, settings, reportAddr);
            action = "created";
        } else {
            EndpointSettings s = e.settings().with(body);
            if (!s.equals(e.settings())) repo().updateEndpoint(e.id(), e.name(), s);
            action = existing.get().fileHash().equals(fileHash)
                            && existing.get().image().equals(image)
                    ? (s.equals(e.settings()) ? "exists" : "autoscale_update")
                    : "soft_update";
        }
        Long groupId = existing.map(Deployment::workergroupId).orElse(null);
        Workergroup group = groupId == null ? null : repo().workergroup(groupId).orElse(null);
        Workergroup wanted = new Workergroup(
                group == null ? 0 : group.id(),
                caller.userId(),
                e.id(),
                null,
                image,
                env,
                searchText,
                null,
                null,
                0,
                "{}",
                now);
        if (group == null) group = repo().addWorkergroup(wanted, now);
        else repo().updateWorkergroup(wanted);
        int version = existing.map(d -> action.equals("soft_update") ? d.version() + 1 : d.version())
                .orElse(1);
        Deployment d = repo().putDeployment(
                        new Deployment(
                                existing.map(Deployment::id).orElse(0L),
                                caller.userId(),
                                name,
                                tag,
                                image,
                                fileHash,
                                ((Number) size).longValue(),
                                env,
                                searchText,
                                storage == null ? 50.0 : storage,
                                ttl,
                                e.id(),
                                group.id(),
                                version,
                                existing.map(Deployment::createdAt).orElse(now),
                                now),
                        now);
        autoscaler.log(e, group.id(), "deployment " + d.id() + " " + action + " (version " + version + ")");
        return new PutResult(d, action);
    }

    public List<Deployment> deployments(Principal caller) {
        return repo().deploymentsOf(caller.userId());
    }

    public Deployment deployment(Principal caller, long id) {
        return repo().deployment(id)
                .filter(d -> d.userId() == caller.userId())
                .orElseThrow(() -> new DomainException.NotFound("no_such_deployment", "No deployment " + id + "."));
    }

    /** The endpoint serving a deployment, if it still exists. */
    public Optional<Endpoint> endpointOf(Deployment d) {
        return d.endpointId() == null ? Optional.empty() : repo().endpoint(d.endpointId());
    }

    public int workerCount(Endpoint e) {
        return repo().workersOfEndpoint(e.id()).size();
    }

    /** Deletes a deployment with its endpoint (whose workers are destroyed). */
    public void deleteDeployment(Principal caller, long id) {
        Deployment d = deployment(caller, id);
        if (d.endpointId() != null && repo().endpoint(d.endpointId()).isPresent())
            deleteEndpoint(caller, d.endpointId());
        repo().removeDeployment(d.id());
    }

    public int deleteDeployments(Principal caller, String name, String tag) {
        if (name == null) throw new DomainException.BadRequest("invalid_args", "name is required");
        List<Deployment> matching = deployments(caller).stream()
                .filter(d -> d.name().equals(name) && (tag == null || d.tag().equals(tag)))
                .toList();
        if (matching.isEmpty())
            throw new DomainException.NotFound("no_such_deployment", "No deployment named " + name + ".");
        matching.forEach(d -> deleteDeployment(caller, d.id()));
        return matching.size();
    }

    /** Start ({@code active}) or stop ({@code stopped}) a deployment's endpoint. */
    public Endpoint setDeploymentState(Principal caller, long id, String state) {
        Deployment d = deployment(caller, id);
        Endpoint e = endpointOf(d)
                .orElseThrow(
                        () -> new DomainException.BadRequest("no_endpoint", "Deployment " + id + " has no endpoint."));
        return updateEndpoint(caller, e.id(), Map.of("endpoint_state", state));
    }

    // ---- helpers

    private Endpoint endpointOf(Principal caller, Map<String, Object> body) {
        Object id = body.get("endpoint_id");
        if (id instanceof Number n) return endpoint(caller, n.longValue());
        if (id != null) throw new DomainException.BadRequest("invalid_args", "endpoint_id must be a number");
        String name = text(body.get("endpoint_name"), "endpoint_name");
        if (name == null)
            throw new DomainException.BadRequest("invalid_args", "endpoint_id or endpoint_name is required");
        return repo().endpointsOf(caller.userId()).stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new DomainException.NotFound("no_such_endpoint", "No endpoint named " + name + "."));
    }

    private static String name(Object raw) {
        if (!(raw instanceof String s) || s.isBlank())
            throw new DomainException.BadRequest("invalid_args", "a name is required");
        if (s.length() > MAX_NAME)
            throw new DomainException.BadRequest("invalid_args", "a name is at most " + MAX_NAME + " characters");
        return s.strip();
    }

    private static String text(Object raw, String key) {
        if (raw == null) return null;
        if (!(raw instanceof String s)) throw new DomainException.BadRequest("invalid_args", key + " must be text");
        if (s.length() > 16_384) throw new DomainException.BadRequest("invalid_args", key + " is too long");
        return s.isBlank() ? null : s;
    }

    private static Double positive(Object raw, String key) {
        if (raw == null) return null;
        if (!(raw instanceof Number n)
                || !Double.isFinite(n.doubleValue())
                || n.doubleValue() < 0
                || n.doubleValue() > 1e9)
            throw new DomainException.BadRequest("invalid_args", key + " must be a number from 0 to 1e9");
        return n.doubleValue();
    }

    private static int count(Object raw, String key, int fallback) {
        if (raw == null) return fallback;
        if (!(raw instanceof Number n)
                || n.doubleValue() != Math.rint(n.doubleValue())
                || n.doubleValue() < 0
                || n.doubleValue() > EndpointSettings.MAX_WORKERS)
            throw new DomainException.BadRequest(
                    "invalid_args", key + " must be a whole number from 0 to " + EndpointSettings.MAX_WORKERS);
        return n.intValue();
    }

    private static double number(Object raw) {
        return raw instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : 0;
    }

    private static String groupSettings(Map<String, Object> body) {
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String k : GROUP_SETTINGS) if (body.get(k) != null) kept.put(k, body.get(k));
        // checked as an endpoint's settings would be
        EndpointSettings.DEFAULTS.with(kept);
        return jsonText(kept);
    }

    private static String jsonText(Object value) {
        try {
            return io.gpumarket.api.Wire.mapper().writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DomainException.BadRequest("invalid_args", "cannot be written back as JSON");
        }
    }

    private static boolean equal(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(), b.getBytes());
    }

    /** The workers' state words for a view. */
    public static String wire(WorkerState s) {
        return s.wire();
    }
}
