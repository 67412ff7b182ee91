package io.gpumarket.server.http;

import io.gpumarket.core.cloud.CloudConnectionSpec;
import io.gpumarket.core.cloud.CloudCopyRequest;
import io.gpumarket.core.copy.CopyLocation;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.service.CloudCopyService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vastai's cloud copy (docs/copy.md "Cloud copy"), as {@code vastai/api/storage.py} calls it: {@code POST
 * /commands/rclone/} with {@code {"src", "dst", "instance_id", "selected", "transfer", "flags"}}, {@code DELETE
 * /commands/rclone/} with {@code {"client_id": "me", "dst_id"}} (vastai's {@code cancel sync}), and {@code GET
 * /users/cloud_integrations/}, a bare list of {@code {"id", "name", "cloud_type"}} (vastai's {@code show
 * connections}). Vast adds and deletes connections in its web console; here {@code POST /users/cloud_integrations/}
 * and {@code DELETE /users/cloud_integrations/{id}/} do it (the {@code gpumarket} CLI's {@code create connection}).
 * The agent's progress reports come to {@code PUT /api/v0/agent/cloud_copies/{id}/}.
 */
public final class CloudCopyEndpoint {
    private final CloudCopyService cloud;

    public CloudCopyEndpoint(CloudCopyService cloud) {
        this.cloud = cloud;
    }

    public void register(Router r) {
        r.get("/api/v0/users/cloud_integrations", Access.USER_READ, "api.user.connections.show", (ctx, caller) -> {
            List<Map<String, Object>> rows = cloud.connections(caller).stream()
                    .map(CloudCopyEndpoint::row)
                    .toList();
            Json.ok(ctx, rows);
        });
        r.post("/api/v0/users/cloud_integrations", Access.USER_WRITE, "api.user.connections.create", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            CloudConnectionSpec spec = CloudConnectionSpec.of(
                    Params.string(b, "name"),
                    Params.string(b, "cloud_type"),
                    Params.string(b, "provider"),
                    Params.string(b, "endpoint"),
                    Params.string(b, "region"),
                    Params.string(b, "access_key_id"),
                    Params.string(b, "secret_access_key"));
            long id = cloud.addConnection(caller, spec);
            Json.ok(ctx, Json.success("id", id, "msg", "Cloud connection " + spec.name() + " added"));
        });
        r.delete(
                "/api/v0/users/cloud_integrations/{id}",
                Access.USER_WRITE,
                "api.user.connections.delete",
                (ctx, caller) -> {
                    long id = Params.id(ctx, "id");
                    cloud.deleteConnection(caller, id);
                    Json.ok(ctx, Json.success("msg", "Cloud connection " + id + " deleted"));
                });
        r.post("/api/v0/commands/rclone", Access.INSTANCE_WRITE, "api.instance.cloud_copy", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            Long instance = Params.id(b, "instance_id");
            if (instance == null) throw new DomainException.BadRequest("invalid_args", "'instance_id' is required");
            Long connection = Params.id(b, "selected");
            if (connection == null)
                throw new DomainException.BadRequest(
                        "invalid_args", "'selected' (the cloud connection's id, vastai show connections) is required");
            CloudCopyRequest request = CloudCopyRequest.of(
                    Params.string(b, "src"),
                    Params.string(b, "dst"),
                    Params.string(b, "transfer"),
                    Params.strings(b, "flags"));
            CloudCopyService.Started started = cloud.start(caller, instance, connection, request);
            Json.ok(
                    ctx,
                    Json.success(
                            "copy_id",
                            started.id(),
                            "msg",
                            "Cloud Copy Started - check instance status bar for progress updates (~30 seconds"
                                    + " delayed).",
                            "result_url",
                            InstancesEndpoint.baseUrl(ctx) + InstanceLogsEndpoint.path(started.resultToken())));
        });
        r.delete("/api/v0/commands/rclone", Access.INSTANCE_WRITE, "api.instance.cancel_sync", (ctx, caller) -> {
            Object dst = Json.bodyMap(ctx).get("dst_id");
            if (!(CopyLocation.of("dst_id", dst) instanceof CopyLocation.OfInstance i))
                throw new DomainException.BadRequest("invalid_args", "Invalid dst_id.");
            int n = cloud.cancel(caller, i.id());
            Json.ok(
                    ctx,
                    Json.success(
                            "msg",
                            n == 0
                                    ? "No cloud copy on " + i.id() + " was going."
                                    : "Remote copy canceled - check instance status bar for progress updates (~30"
                                            + " seconds delayed)."));
        });
        // the agent's progress and end of a copy on one of its machine's instances (CloudCopyService.report)
        r.agent("PUT", "/api/v0/agent/cloud_copies/{id}", (ctx, machine) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            cloud.report(machine, Params.id(ctx, "id"), Params.string(b, "state"), Params.string(b, "msg"));
            Json.ok(ctx, Json.success());
        });
    }

    private static Map<String, Object> row(CloudCopyService.Shown c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("cloud_type", c.cloudType());
        m.put("provider", c.provider());
        m.put("endpoint", c.endpoint());
        m.put("access_key_id", c.keyId());
        return m;
    }
}
