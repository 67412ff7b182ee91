package io.gpumarket.server.http;

import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.text.StorableText;
import io.gpumarket.server.service.AgentService;
import io.gpumarket.server.service.LogService;
import java.nio.charset.StandardCharsets;

/**
 * The agent protocol (api {@code io.gpumarket.api.agent}), authenticated by machine token: the machine's
 * fingerprint, the sync (heartbeat, reports, desired state, long poll), and log uploads.
 */
public final class AgentEndpoint {
    private final AgentService agents;
    private final LogService logs;

    public AgentEndpoint(AgentService agents, LogService logs) {
        this.agents = agents;
        this.logs = logs;
    }

    public void register(Router r) {
        r.agent("PUT", "/api/v0/agent/machine", (ctx, machine) -> {
            var m = agents.register(machine, Json.body(ctx, MachineRegistration.class));
            Json.ok(ctx, Json.success("machine_id", m.id()));
        });
        r.agent("POST", "/api/v0/agent/sync", (ctx, machine) ->
                Json.ok(ctx, agents.sync(machine, Json.body(ctx, SyncRequest.class))));
        r.agent("PUT", "/api/v0/agent/logs/{token}", (ctx, machine) -> {
            // a program's output may hold NUL bytes: kept as U+FFFD (PostgreSQL's text cannot hold NUL), not refused
            logs.upload(machine, ctx.pathParam("token"), StorableText.replaceUnstorable(new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8)));
            Json.ok(ctx, Json.success());
        });
    }
}
