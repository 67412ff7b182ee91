package io.gpumarket.server.http;

import io.gpumarket.server.service.EnvVarService;
import java.util.Map;

/**
 * Account environment variables, Vast's {@code /api/v0/secrets/} as vast-cli's {@code vastai/api/auth.py} calls it:
 * {@code GET} answers {@code {"success": true, "secrets": {"NAME": "*****"}}} (values never shown back),
 * {@code POST}/{@code PUT} take {@code {"key", "value"}}, {@code DELETE} takes {@code {"key"}} in its body.
 */
public final class SecretsEndpoint {
    private final EnvVarService envVars;

    public SecretsEndpoint(EnvVarService envVars) {
        this.envVars = envVars;
    }

    public void register(Router r) {
        r.get(
                "/api/v0/secrets",
                Access.USER_READ,
                "api.secrets.show",
                (ctx, caller) -> Json.ok(ctx, Json.success("secrets", envVars.masked(caller))));
        r.post("/api/v0/secrets", Access.USER_WRITE, "api.secrets.create", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            String name = envVars.add(caller, Params.string(b, "key"), Params.string(b, "value"));
            Json.ok(ctx, Json.success("msg", "Environment variable " + name + " added successfully"));
        });
        r.put("/api/v0/secrets", Access.USER_WRITE, "api.secrets.update", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            String name = envVars.update(caller, Params.string(b, "key"), Params.string(b, "value"));
            Json.ok(ctx, Json.success("msg", "Environment variable " + name + " updated successfully"));
        });
        r.delete("/api/v0/secrets", Access.USER_WRITE, "api.secrets.delete", (ctx, caller) -> {
            String name = envVars.delete(caller, Params.string(Json.bodyMap(ctx), "key"));
            Json.ok(ctx, Json.success("msg", "Environment variable " + name + " deleted successfully"));
        });
    }
}
