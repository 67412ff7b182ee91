package io.gpumarket.server.http;

import io.gpumarket.core.account.ApiKey;
import io.gpumarket.server.service.ApiKeyService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * API keys (docs/vast-compatibility.md §b.5, §g.3): {@code POST/GET /auth/apikeys/}, {@code GET/DELETE /auth/apikeys/{id}/}. A new key
 * is answered with its secret once; afterwards only its id, name, document and times are shown ({@code permissions}
 * null means full access). Beyond Vast: {@code expires_at} (epoch seconds) or {@code ttl_seconds} when creating.
 * Deleting answers the JSON string Vast answers.
 */
public final class ApiKeysEndpoint {
    private final ApiKeyService keys;

    public ApiKeysEndpoint(ApiKeyService keys) {
        this.keys = keys;
    }

    public void register(Router r) {
        r.post("/api/v0/auth/apikeys", Access.USER_WRITE, "api.apikey.create", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            ApiKeyService.Created created = keys.create(
                    caller,
                    Params.string(b, "name"),
                    b.get("permissions"),
                    Params.number(b, "expires_at"),
                    Params.number(b, "ttl_seconds"),
                    r.catalog());
            Map<String, Object> body = Json.success();
            body.putAll(view(created.key()));
            body.put("key", created.secret());
            Json.ok(ctx, body);
        });
        r.get(
                "/api/v0/auth/apikeys",
                Access.USER_READ,
                "api.apikey.list",
                (ctx, caller) -> Json.ok(
                        ctx,
                        Json.success(
                                "apikeys",
                                keys.list(caller).stream()
                                        .map(ApiKeysEndpoint::view)
                                        .toList())));
        r.get(
                "/api/v0/auth/apikeys/{id}",
                Access.USER_READ,
                "api.apikey.show",
                (ctx, caller) -> Json.ok(ctx, Json.success("apikey", view(keys.show(caller, Params.id(ctx, "id"))))));
        r.delete("/api/v0/auth/apikeys/{id}", Access.USER_WRITE, "api.apikey.delete", (ctx, caller) -> {
            keys.delete(caller, Params.id(ctx, "id"));
            Json.ok(ctx, "Successfully Deleted API Key");
        });
    }

    private static Map<String, Object> view(ApiKey k) {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, Object> doc = ApiKeyService.document(k);
        v.put("id", k.id());
        v.put("user_id", k.userId());
        v.put("name", k.name());
        v.put("permissions", doc);
        v.put("rights", doc);
        v.put("full_access", doc == null);
        v.put("team_id", null);
        v.put("team_name", null);
        v.put("created_at", seconds(k.createdAt()));
        v.put("expires_at", seconds(k.expiresAt()));
        v.put("deleted_at", seconds(k.deletedAt()));
        return v;
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }
}
