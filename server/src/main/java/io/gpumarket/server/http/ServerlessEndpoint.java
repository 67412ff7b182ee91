package io.gpumarket.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.serverless.EndpointSettings;
import io.gpumarket.server.auth.Authenticator;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.serverless.Autoscaler;
import io.gpumarket.server.serverless.ServerlessService;
import io.gpumarket.server.serverless.WorkerReports;
import io.gpumarket.store.ServerlessRepo.Deployment;
import io.gpumarket.store.ServerlessRepo.Endpoint;
import io.gpumarket.store.ServerlessRepo.Workergroup;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serverless (docs/serverless.md), as vast-cli's {@code vastai/api/endpoints.py} and {@code deployments.py} and the
 * serverless client and worker libraries ({@code vastai/serverless/…}) call it:
 * <ul>
 *   <li>endpoints {@code /api/v0/endptjobs/}, worker groups {@code /api/v0/workergroups/} (the SDK's name) and
 *       {@code /api/v0/autojobs/} (the CLI's), deployments {@code /api/v0/deployments/}, {@code /deployment/{id}/};
 *   <li>what Vast serves from its autoscaler's address and this server serves itself: the logs and worker lists
 *       ({@code /get_endpoint_logs/}, {@code /get_endpoint_workers/}, {@code /get_workergroup_…}, {@code
 *       /get_autogroup_…}), routing ({@code /route/}), and the worker library's reports ({@code /pubkey/},
 *       {@code /worker_status/}, {@code /delete_requests/}).
 * </ul>
 */
public final class ServerlessEndpoint {
    private final ServerlessService serverless;
    private final Authenticator auth;

    public ServerlessEndpoint(ServerlessService serverless, Authenticator auth) {
        this.serverless = serverless;
        this.auth = auth;
    }

    public void register(Router r) {
        // endpoints
        r.get("/api/v0/endptjobs", Access.MISC, "api.endptjobs.show", (ctx, caller) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Endpoint e : serverless.endpoints(caller)) rows.add(endpointView(e));
            Json.ok(ctx, Json.success("results", rows));
        });
        r.post("/api/v0/endptjobs", Access.MISC, "api.endptjobs.create", (ctx, caller) -> {
            Endpoint e = serverless.createEndpoint(caller, Json.bodyMap(ctx), InstancesEndpoint.baseUrl(ctx));
            Json.ok(ctx, Json.success("result", e.id(), "id", e.id()));
        });
        r.get(
                "/api/v0/endptjobs/{id}",
                Access.MISC,
                "api.endptjob.show",
                (ctx, caller) -> Json.ok(
                        ctx, Json.success("result", endpointView(serverless.endpoint(caller, Params.id(ctx, "id"))))));
        r.put("/api/v0/endptjobs/{id}", Access.MISC, "api.endptjob.update", (ctx, caller) -> {
            Endpoint e = serverless.updateEndpoint(caller, Params.id(ctx, "id"), Json.bodyMap(ctx));
            Json.ok(ctx, Json.success("result", endpointView(e)));
        });
        r.delete("/api/v0/endptjobs/{id}", Access.MISC, "api.endptjob.delete", (ctx, caller) -> {
            serverless.deleteEndpoint(caller, Params.id(ctx, "id"));
            Json.ok(ctx, Json.success("msg", "Endpoint deleted."));
        });
        // worker groups, under both names
        for (String base : List.of("/api/v0/workergroups", "/api/v0/autojobs")) {
            String n = base.substring(base.lastIndexOf('/') + 1);
            r.get(base, Access.MISC, "api." + n + ".show", (ctx, caller) -> {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (Workergroup g : serverless.workergroups(caller)) rows.add(groupView(g, caller));
                Json.ok(ctx, Json.success("results", rows));
            });
            r.post(base, Access.MISC, "api." + n + ".create", (ctx, caller) -> {
                Workergroup g = serverless.createWorkergroup(caller, Json.bodyMap(ctx));
                Json.ok(ctx, Json.success("id", g.id(), "result", g.id()));
            });
            r.put(base + "/{id}", Access.MISC, "api." + n + ".update", (ctx, caller) -> {
                Workergroup g = serverless.updateWorkergroup(caller, Params.id(ctx, "id"), Json.bodyMap(ctx));
                Json.ok(ctx, Json.success("result", groupView(g, caller)));
            });
            r.delete(base + "/{id}", Access.MISC, "api." + n + ".delete", (ctx, caller) -> {
                serverless.deleteWorkergroup(caller, Params.id(ctx, "id"));
                Json.ok(ctx, Json.success("msg", "Worker group deleted; its workers are left running as instances."));
            });
        }
        // logs and workers (Vast serves these from its autoscaler's address; vast-cli posts them there)
        for (String path : List.of("/get_endpoint_logs", "/get_workergroup_logs", "/get_autogroup_logs")) {
            boolean ofGroup = !path.equals("/get_endpoint_logs");
            // a name to grant it by, as every categorised route has: api.endpoint_logs.show, api.workergroup_logs.show
            // …
            r.post(path, Access.MISC, "api." + path.substring("/get_".length()) + ".show", (ctx, caller) -> {
                Map<String, Object> b = Json.bodyMap(ctx);
                long endpoint;
                Long group = null;
                if (ofGroup) {
                    Workergroup g = serverless.workergroup(caller, id(b));
                    endpoint = g.endpointId();
                    group = g.id();
                } else endpoint = endpointId(caller, b);
                Double tail = Params.number(b, "tail");
                String text = serverless.logs(caller, endpoint, group, tail == null ? null : tail.intValue());
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("logs", text);
                // vast-cli prints the one its --level names
                for (String level : List.of("info0", "info1", "trace", "debug")) out.put(level, text);
                Json.ok(ctx, out);
            });
        }
        for (String path : List.of("/get_endpoint_workers", "/get_workergroup_workers", "/get_autogroup_workers")) {
            boolean ofGroup = !path.equals("/get_endpoint_workers");
            r.post(path, Access.MISC, "api." + path.substring("/get_".length()) + ".show", (ctx, caller) -> {
                Map<String, Object> b = Json.bodyMap(ctx);
                List<Autoscaler.Seen> seen;
                if (ofGroup) {
                    Workergroup g = serverless.workergroup(caller, id(b));
                    seen = serverless.workers(caller, g.endpointId(), g.id());
                } else seen = serverless.workers(caller, endpointId(caller, b), null);
                List<Map<String, Object>> out = new ArrayList<>();
                for (Autoscaler.Seen s : seen) out.add(workerView(s));
                // the client library reads a list (the CLI a list or {"workers": [...]})
                Json.ok(ctx, out);
            });
        }
        // routing: the endpoint's key (or its owner's API key) in the body or as the bearer
        r.post("/route", Access.PUBLIC, (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            String key = b.get("api_key") instanceof String s ? s : bearer(ctx);
            Double cost = Params.number(b, "cost");
            Double idx = Params.number(b, "request_idx");
            Json.ok(
                    ctx,
                    serverless.route(
                            b.get("endpoint") instanceof String s ? s : null,
                            key,
                            this::owner,
                            cost == null ? 100.0 : cost,
                            idx == null || idx < 0 ? 0 : idx.longValue()));
        });
        r.get("/pubkey", Access.PUBLIC, (ctx, caller) -> {
            ctx.contentType("text/plain");
            ctx.result(serverless.signer().publicPem());
        });
        r.post("/worker_status", Access.PUBLIC, (ctx, caller) -> {
            serverless.workerStatus(Json.bodyMap(ctx));
            Json.ok(ctx, Json.success());
        });
        r.post("/delete_requests", Access.PUBLIC, (ctx, caller) -> {
            int n = serverless.deleteRequests(Json.bodyMap(ctx));
            Json.ok(ctx, Json.success("deleted", n));
        });
        // deployments
        r.get("/api/v0/deployments", Access.MISC, "api.deployments.show", (ctx, caller) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Deployment d : serverless.deployments(caller)) rows.add(deploymentView(d));
            Json.ok(ctx, Json.success("deployments", rows));
        });
        r.put("/api/v0/deployments", Access.MISC, "api.deployments.put", (ctx, caller) -> {
            ServerlessService.PutResult p =
                    serverless.putDeployment(caller, Json.bodyMap(ctx), InstancesEndpoint.baseUrl(ctx));
            Map<String, Object> out = Json.success(
                    "action", p.action(),
                    "deployment_id", p.deployment().id(),
                    "endpoint_id", p.deployment().endpointId(),
                    "workergroup_id", p.deployment().workergroupId());
            // no object store here: the code archive is not uploaded (docs/serverless.md)
            out.put("upload_url", null);
            out.put("upload_fields", null);
            Json.ok(ctx, out);
        });
        r.delete("/api/v0/deployments", Access.MISC, "api.deployments.delete", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            int n = serverless.deleteDeployments(caller, Params.string(b, "name"), Params.string(b, "tag"));
            Json.ok(ctx, Json.success("deleted", n));
        });
        r.get(
                "/api/v0/deployment/{id}",
                Access.MISC,
                "api.deployment.show",
                (ctx, caller) -> Json.ok(
                        ctx,
                        Json.success(
                                "deployment", deploymentView(serverless.deployment(caller, Params.id(ctx, "id"))))));
        r.get("/api/v0/deployment/{id}/versions", Access.MISC, "api.deployment.versions", (ctx, caller) -> {
            Deployment d = serverless.deployment(caller, Params.id(ctx, "id"));
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", d.version());
            v.put("version_label", null);
            v.put("file_hash", d.fileHash());
            v.put("image", d.image());
            v.put("created_at", seconds(d.updatedAt()));
            Json.ok(ctx, Json.success("versions", List.of(v)));
        });
        r.delete("/api/v0/deployment/{id}", Access.MISC, "api.deployment.delete", (ctx, caller) -> {
            serverless.deleteDeployment(caller, Params.id(ctx, "id"));
            Json.ok(ctx, Json.success("msg", "Deployment deleted."));
        });
        r.post("/api/v0/deployment/{id}/start", Access.MISC, "api.deployment.start", (ctx, caller) -> {
            serverless.setDeploymentState(caller, Params.id(ctx, "id"), "active");
            Json.ok(ctx, Json.success("msg", "Deployment started."));
        });
        r.post("/api/v0/deployment/{id}/stop", Access.MISC, "api.deployment.stop", (ctx, caller) -> {
            serverless.setDeploymentState(caller, Params.id(ctx, "id"), "stopped");
            Json.ok(ctx, Json.success("msg", "Deployment stopped."));
        });
    }

    private static String bearer(Context ctx) {
        String h = ctx.header("Authorization");
        if (h == null) return null;
        return h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).trim() : h.trim();
    }

    /** The account whose API key this is, when it is one (a route may carry its owner's key). */
    private Long owner(String key) {
        if (key == null || key.isBlank()) return null;
        try {
            Principal p = auth.authenticate("Bearer " + key, null);
            return p.scoped() ? null : p.userId();
        } catch (DomainException.Unauthorized notAUserKey) {
            return null;
        }
    }

    private static long id(Map<String, Object> b) {
        Double id = Params.number(b, "id");
        if (id == null) throw new DomainException.BadRequest("invalid_args", "'id' is required");
        return id.longValue();
    }

    /** {@code id} (vast-cli) or {@code endpoint} by name (Vast's document). */
    private long endpointId(Principal caller, Map<String, Object> b) {
        if (b.get("id") == null && b.get("endpoint") instanceof String name) {
            return serverless.endpoints(caller).stream()
                    .filter(e -> e.name().equals(name))
                    .findFirst()
                    .orElseThrow(
                            () -> new DomainException.NotFound("no_such_endpoint", "No endpoint named " + name + "."))
                    .id();
        }
        return id(b);
    }

    private Map<String, Object> endpointView(Endpoint e) {
        EndpointSettings s = e.settings();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", e.id());
        v.put("endpoint_name", e.name());
        v.put("min_load", s.minLoad());
        v.put("min_cold_load", s.minColdLoad());
        v.put("target_util", s.targetUtil());
        v.put("cold_mult", s.coldMult());
        v.put("cold_workers", s.coldWorkers());
        v.put("max_workers", s.maxWorkers());
        v.put("max_queue_time", s.maxQueueTime());
        v.put("target_queue_time", s.targetQueueTime());
        v.put("inactivity_timeout", s.inactivityTimeout());
        v.put("endpoint_state", s.state());
        v.put("api_key", serverless.endpointKey(e));
        v.put("user_id", e.userId());
        v.put("created_at", seconds(e.createdAt()));
        v.put("auto_delete_in_seconds", null);
        v.put("auto_delete_due_24h", false);
        return v;
    }

    private Map<String, Object> groupView(Workergroup g, Principal caller) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", g.id());
        v.put("endpoint_id", g.endpointId());
        v.put("endpoint_name", serverless.endpoint(caller, g.endpointId()).name());
        v.put("template_hash", g.templateHash());
        v.put("template_id", null);
        v.put("image", g.image());
        v.put("search_params", g.searchParams());
        v.put("launch_args", g.launchArgs());
        v.put("gpu_ram", g.gpuRam());
        v.put("test_workers", g.testWorkers());
        try {
            v.putAll(Json.read(g.settings(), new TypeReference<Map<String, Object>>() {}, "settings"));
        } catch (java.io.IOException unreadable) {
            // written by this server as JSON; nothing to add when it is not
        }
        v.put("user_id", g.userId());
        v.put("created_at", seconds(g.createdAt()));
        return v;
    }

    private Map<String, Object> workerView(Autoscaler.Seen s) {
        WorkerReports.Status st = serverless.reports().status(s.instance().id());
        double perf = s.view().perf();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", s.instance().id());
        v.put("workergroup_id", s.worker().workergroupId());
        v.put("status", s.view().state().wire());
        v.put("error", s.view().error());
        v.put("url", st == null ? null : st.url());
        v.put("cur_load", s.view().load());
        v.put("new_load", 0.0);
        v.put("cur_load_rolling_avg", s.view().load());
        v.put("cur_perf", 0.0);
        v.put("perf", perf);
        v.put("measured_perf", perf);
        v.put("dlperf", 0.0);
        v.put("reliability", 1.0);
        v.put("reqs_working", 0);
        v.put("disk_usage", 0.0);
        v.put("loaded_at", st != null && st.loaded() ? seconds(st.heard()) : 0.0);
        v.put("started_at", seconds(s.worker().createdAt()));
        v.put("machine_id", s.instance().machineId());
        return v;
    }

    private Map<String, Object> deploymentView(Deployment d) {
        Map<String, Object> v = new LinkedHashMap<>();
        var e = serverless.endpointOf(d);
        v.put("id", d.id());
        v.put("name", d.name());
        v.put("tag", d.tag());
        v.put("image", d.image());
        v.put("endpoint_id", e.map(Endpoint::id).orElse(null));
        v.put("endpoint_state", e.map(x -> x.settings().state()).orElse(null));
        v.put("worker_count", e.map(serverless::workerCount).orElse(0));
        v.put("env", d.env());
        v.put("s3_key", null);
        v.put("file_hash", d.fileHash());
        v.put("search_params", d.searchParams());
        v.put("current_version_id", d.version());
        v.put("last_healthy_version_id", null);
        v.put("storage", d.storage());
        v.put("ttl", d.ttl());
        v.put("last_client_heartbeat", null);
        v.put("created_at", seconds(d.createdAt()));
        v.put("updated_at", seconds(d.updatedAt()));
        return v;
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
