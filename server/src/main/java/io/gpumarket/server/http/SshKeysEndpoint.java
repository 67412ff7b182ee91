package io.gpumarket.server.http;

import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.server.service.SshKeyService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Account SSH keys (docs/vast-compatibility.md §g.2): {@code POST/GET /ssh/}, {@code PUT/DELETE /ssh/{id}/}. Times are epoch seconds.
 * The list is a bare array whose entries carry the key under both {@code key} (the docs) and
 * {@code public_key} (what the create answer uses).
 */
public final class SshKeysEndpoint {
    private final SshKeyService keys;

    public SshKeysEndpoint(SshKeyService keys) {
        this.keys = keys;
    }

    public void register(Router r) {
        r.post(
                "/api/v0/ssh",
                Access.USER_WRITE,
                "api.ssh_key.create",
                (ctx, caller) -> Json.ok(
                        ctx,
                        Json.success(
                                "key", view(keys.add(caller, Params.string(Json.bodyMap(ctx), "ssh_key")), false))));
        r.get(
                "/api/v0/ssh",
                Access.USER_READ,
                "api.ssh_key.show",
                (ctx, caller) -> Json.ok(
                        ctx, keys.list(caller).stream().map(k -> view(k, true)).toList()));
        r.put("/api/v0/ssh/{id}", Access.USER_WRITE, "api.ssh_key.update", (ctx, caller) -> {
            SshKey updated = keys.replace(caller, Params.id(ctx, "id"), Params.string(Json.bodyMap(ctx), "ssh_key"));
            Json.ok(ctx, Json.success("key", view(updated, false)));
        });
        r.delete("/api/v0/ssh/{id}", Access.USER_WRITE, "api.ssh_key.delete", (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            keys.delete(caller, id);
            Json.ok(ctx, Json.success("msg", "SSH key " + id + " deleted."));
        });
    }

    private static Map<String, Object> view(SshKey k, boolean withKeyAlias) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", k.id());
        v.put("user_id", k.userId());
        if (withKeyAlias) v.put("key", k.publicKey());
        v.put("public_key", k.publicKey());
        v.put("created_at", seconds(k.createdAt()));
        v.put("deleted_at", seconds(k.deletedAt()));
        return v;
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }
}
