package io.gpumarket.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.InstanceQuery;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.JupyterEnv;
import io.gpumarket.core.instance.RentFields;
import io.gpumarket.core.money.Money;
import io.gpumarket.core.permission.InstanceScope;
import io.gpumarket.core.volume.VolumeRequest;
import io.gpumarket.server.service.BidService;
import io.gpumarket.server.service.InstanceService;
import io.gpumarket.server.service.LogService;
import io.gpumarket.server.service.RentService;
import io.gpumarket.server.service.ShownInstance;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Instances, the renter's side (docs/vast-compatibility.md §b.2): renting an offer, showing one instance or the list (legacy v0 and
 * paged v1), start/stop/label (one or many), reboot, destroy (one or many), changing a bid, and requesting logs. Route names are
 * the ones a permission document grants; an instance's own key is granted show, manage, destroy and
 * request_logs of that instance only ({@link InstanceScope}).
 */
public final class InstancesEndpoint {
    /** vastai sends at most 64 ids per bulk create call (it splits longer lists). */
    static final int MAX_BULK_CREATE = 64;

    private final RentService rent;
    private final InstanceService instances;
    private final LogService logs;
    private final BidService bids;

    public InstancesEndpoint(RentService rent, InstanceService instances, LogService logs, BidService bids) {
        this.rent = rent;
        this.bids = bids;
        this.instances = instances;
        this.logs = logs;
    }

    public void register(Router r) {
        r.put("/api/v0/asks/{id}", Access.INSTANCE_WRITE, "api.instance.create", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            var rented = rent.rent(
                    caller,
                    Params.id(ctx, "id"),
                    rentFields(body),
                    templateHashId(body),
                    VolumeRequest.parse(body.get("volume_info")));
            Json.ok(ctx, created(rented));
        });
        // bulk create (vastai `create instances`): the create body plus "ids"; each offer is rented on its own, in its
        // own transaction, and answered on its own: one offer gone does not undo or stop the others
        r.post("/api/v0/asks/bulk", Access.INSTANCE_WRITE, "api.instance.create", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            List<Long> ids = required(Params.ids(body, "ids"), "ids");
            if (ids.isEmpty())
                throw new DomainException.BadRequest("invalid_args", "'ids' must name at least one offer");
            if (ids.size() > MAX_BULK_CREATE) {
                throw new DomainException.BadRequest(
                        "invalid_args", ids.size() + " offers given; at most " + MAX_BULK_CREATE + " per call");
            }
            RentFields fields = rentFields(body);
            String template = templateHashId(body);
            List<Map<String, Object>> results = new java.util.ArrayList<>();
            int created = 0;
            for (long offer : ids) {
                Map<String, Object> one;
                try {
                    var rented =
                            rent.rent(caller, offer, fields, template, VolumeRequest.parse(body.get("volume_info")));
                    one = created(rented);
                    created++;
                } catch (DomainException e) {
                    one = new LinkedHashMap<>();
                    one.put("success", false);
                    one.put("error", e.code());
                    one.put("msg", e.getMessage());
                }
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", offer);
                row.putAll(one);
                results.add(row);
            }
            Map<String, Object> out = Json.success("msg", created + " of " + results.size() + " instance(s) created");
            out.put("results", results);
            Json.ok(ctx, out);
        });
        r.put("/api/v0/instances/bid_price/{id}", Access.INSTANCE_WRITE, "api.instance.change_bid", (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            Map<String, Object> body = Json.bodyMap(ctx);
            Object raw = body.get("price");
            if (raw != null && !(raw instanceof Number)) {
                throw new DomainException.BadRequest("invalid_args", "Please set a bid price >= 0.001.");
            }
            long perGpu = bids.change(caller, id, raw == null ? null : ((Number) raw).doubleValue());
            Json.ok(
                    ctx,
                    Json.success(
                            "msg",
                            "bid of instance " + id + " set to $" + Money.toDollars(perGpu) + " per GPU per hour",
                            "bid_price_per_gpu",
                            Money.toDollars(perGpu)));
        });
        // registered before /instances/{id} so the literal path wins: vastai's `show instances` reads it for its
        // "Filterable Values" panel (the distinct status / verification / GPU of the caller's instances)
        r.get(
                "/api/v0/instances/filters",
                Access.INSTANCE_READ,
                "api.instances.filters",
                (ctx, caller) -> Json.ok(
                        ctx,
                        Map.of(
                                "filters",
                                InstanceViews.filters(instances.list(caller).stream()
                                        .map(InstanceViews::of)
                                        .toList()))));
        r.get("/api/v0/instances/{id}", Access.INSTANCE_READ, InstanceScope.SHOW, (ctx, caller) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(
                    "instances",
                    instances
                            .show(caller, Params.id(ctx, "id"))
                            .map(InstanceViews::of)
                            .orElse(null));
            Json.ok(ctx, body);
        });
        r.get("/api/v0/instances", Access.INSTANCE_READ, "api.instances.show", (ctx, caller) -> {
            List<Map<String, Object>> all =
                    instances.list(caller).stream().map(InstanceViews::of).toList();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("instances_found", all.size());
            body.put("instances", all);
            Json.ok(ctx, body);
        });
        r.get(
                "/api/v1/instances",
                Access.INSTANCE_READ,
                "api.instances.list",
                (ctx, caller) -> Json.ok(ctx, page(ctx, instances.list(caller))));
        r.put("/api/v0/instances/{id}", Access.INSTANCE_WRITE, InstanceScope.MANAGE, (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            Map<String, Object> body = Json.bodyMap(ctx);
            IntendedStatus state = state(body);
            if (state == null && !body.containsKey("label")) {
                throw new DomainException.BadRequest("invalid_args", "give 'state' (running or stopped) or 'label'");
            }
            if (state != null) instances.setState(caller, List.of(id), state);
            if (!body.containsKey("label")) {
                Json.ok(ctx, Json.success());
                return;
            }
            String label = Params.string(body, "label");
            instances.setLabel(caller, id, label);
            Json.ok(ctx, Json.success("msg", "label for " + id + " set to '" + (label == null ? "" : label) + "'"));
        });
        r.put("/api/v0/instances", Access.INSTANCE_WRITE, "api.instances.manage", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            IntendedStatus state = state(body);
            if (state == null)
                throw new DomainException.BadRequest("invalid_args", "'state' (running or stopped) is required");
            List<Long> ids = required(Params.ids(body, "ids"), "ids");
            instances.setState(caller, ids, state);
            Json.ok(ctx, Json.success("msg", ids.size() + " instance(s) set to " + state.wire()));
        });
        r.delete("/api/v0/instances/{id}", Access.INSTANCE_WRITE, InstanceScope.DESTROY, (ctx, caller) -> {
            instances.destroy(caller, List.of(Params.id(ctx, "id")));
            Json.ok(ctx, Json.success());
        });
        r.delete("/api/v0/instances", Access.INSTANCE_WRITE, "api.instances.destroy", (ctx, caller) -> {
            List<Long> ids = required(Params.ids(Json.bodyMap(ctx), "instance_ids"), "instance_ids");
            instances.destroy(caller, ids);
            Json.ok(ctx, Json.success("msg", ids.size() + " instance(s) destroyed"));
        });
        r.put("/api/v0/instances/reboot/{id}", Access.INSTANCE_WRITE, "api.instance.reboot", (ctx, caller) -> {
            instances.reboot(caller, Params.id(ctx, "id"));
            Json.ok(ctx, Json.success());
        });
        // recycle: Vast's answer is {"success": true}; the instance shows "recycling" until its agent has recreated it
        r.put("/api/v0/instances/recycle/{id}", Access.INSTANCE_WRITE, "api.instance.recycle", (ctx, caller) -> {
            instances.recycle(caller, Params.id(ctx, "id"));
            Json.ok(ctx, Json.success());
        });
        r.put(
                "/api/v0/instances/request_logs/{id}",
                Access.INSTANCE_READ,
                InstanceScope.REQUEST_LOGS,
                (ctx, caller) -> {
                    Map<String, Object> body = Json.bodyMap(ctx);
                    String token = logs.request(
                            caller, Params.id(ctx, "id"), Params.integer(body, "tail"), Params.string(body, "filter"));
                    Json.ok(
                            ctx,
                            Json.success(
                                    "result_url",
                                    baseUrl(ctx) + InstanceLogsEndpoint.path(token),
                                    "msg",
                                    "Logs requested; they will be at result_url within a few seconds."));
                });
        // execute: Vast's answer; writeable_path is what vastai strips from the output, and our output holds paths
        // as the instance sees them, so there is nothing to strip
        r.put("/api/v0/instances/command/{id}", Access.INSTANCE_WRITE, "api.instance.execute", (ctx, caller) -> {
            String token = logs.execute(caller, Params.id(ctx, "id"), Params.string(Json.bodyMap(ctx), "command"));
            Json.ok(
                    ctx,
                    Json.success(
                            "writeable_path",
                            "",
                            "result_url",
                            baseUrl(ctx) + InstanceLogsEndpoint.path(token),
                            "msg",
                            "Command is executing, wait a few seconds and then view the result_url"));
        });
    }

    /** The answer to one created instance, alone (PUT /asks/{id}/) or in a bulk create's results. */
    private static Map<String, Object> created(RentService.Rented rented) {
        Instance i = rented.instance();
        // which kind it is, always: nobody gets on-demand (or a bid) by accident
        Map<String, Object> out = Json.success("new_contract", i.id(), "instance_api_key", rented.instanceApiKey());
        out.put("is_bid", i.bid());
        out.put("bid_price", i.bid() ? Money.toDollars(i.prices().gpuPerHour() * i.numGpus()) : null);
        if (i.bidState().waiting()) out.put("msg", InstanceViews.bidMessage(i));
        return out;
    }

    /**
     * The create body of docs/vast-compatibility.md §f.3; {@code image_login} is kept for the machine's agent (a private registry's
     * login); other keys the CLI always sends (client_id, extra …) are ignored.
     */
    static RentFields rentFields(Map<String, Object> b) {
        if (Params.bool(b, "vm", false))
            throw new DomainException.BadRequest("invalid_args", "VM instances are not supported");
        // a Jupyter launch's directory and flavour travel as the instance's env (JupyterEnv)
        Object env = JupyterEnv.with(
                b.get("env"),
                Params.string(b, "jupyter_dir"),
                Params.bool(b, "use_jupyter_lab", false) || Params.bool(b, "jupyter_lab", false));
        return new RentFields(
                Params.string(b, "image"),
                env,
                Params.string(b, "onstart"),
                Params.strings(b, "args"),
                Params.string(b, "args_str"),
                Params.string(b, "runtype"),
                Params.string(b, "label"),
                Params.number(b, "disk"),
                Params.string(b, "target_state"),
                Params.bool(b, "cancel_unavail", false),
                b.get("price"),
                Params.string(b, "image_login"));
    }

    /**
     * The template to create from: {@code template_hash_id}. A numeric {@code template_id} is what the docs warn
     * against (docs/vast-compatibility.md §g.1): ids name a template for deleting only, so it is refused with the way out.
     */
    static String templateHashId(Map<String, Object> b) {
        if (b.get("template_id") != null) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "'template_id' cannot create an instance; send the "
                            + "template's 'template_hash_id' instead (its hash_id, as GET /api/v0/template/ shows it)");
        }
        String hash = Params.string(b, "template_hash_id");
        return hash == null || hash.isBlank() ? null : hash.strip();
    }

    private static IntendedStatus state(Map<String, Object> body) {
        String s = Params.string(body, "state");
        if (s == null) return null;
        return IntendedStatus.fromWire(s)
                .orElseThrow(() -> new DomainException.BadRequest(
                        "invalid_args", "'state' must be running or stopped, got '" + s + "'"));
    }

    /** The paged v1 list; the query rules are core's {@link InstanceQuery}, applied to the rendered instances. */
    private static Map<String, Object> page(Context ctx, List<ShownInstance> mine) {
        InstanceQuery query = InstanceQuery.parse(
                jsonParam(ctx, "select_filters", new TypeReference<Map<String, Object>>() {}),
                jsonParam(ctx, "order_by", new TypeReference<List<Object>>() {}),
                ctx.queryParam("limit"),
                jsonParam(ctx, "select_cols", new TypeReference<List<Object>>() {}));
        List<Map<String, Object>> rows = mine.stream().map(InstanceViews::of).toList();
        InstanceQuery.Page page = query.page(rows, PageTokens.decode(query, ctx.queryParam("after_token")));
        Map<String, Integer> labels = new TreeMap<>();
        for (ShownInstance s : mine)
            labels.merge(s.instance().label() == null ? "" : s.instance().label(), 1, Integer::sum);
        Map<String, Object> body = Json.success(
                "instances_found", page.rows().size(), "total_instances", page.total(), "label_counts", labels);
        body.put("next_token", page.nextKey() == null ? null : PageTokens.encode(query, page.nextKey()));
        body.put("instances", page.rows());
        return body;
    }

    /** A query parameter holding JSON (the vastai CLI json.dumps-es them); null when absent. */
    private static <T> T jsonParam(Context ctx, String name, TypeReference<T> type) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        try {
            return Json.read(raw, type, "query parameter " + name);
        } catch (IOException e) {
            throw new DomainException.BadRequest(
                    "invalid_request",
                    "Error in query parameters: " + name + " is not valid JSON of the expected shape");
        }
    }

    private static <T> T required(T value, String key) {
        if (value == null) throw new DomainException.BadRequest("invalid_args", "'" + key + "' is required");
        return value;
    }

    /** This server as the client reached it, for URLs the client fetches next. */
    static String baseUrl(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }
}
