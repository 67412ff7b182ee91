package io.gpumarket.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.server.service.SshKeyService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SSH keys attached to one instance (docs/vast-compatibility.md §b.2, §g.2): {@code POST/GET /instances/{id}/ssh/},
 * {@code DELETE /instances/{id}/ssh/{key}/}. The list answers {@code ssh_keys} as a JSON-encoded string, as the
 * docs show it (docs/vast-compatibility.md §i.17), of {@code [{"id", "name", "public_key"}]}; the name is the key's comment.
 */
public final class InstanceSshKeysEndpoint {
    private final SshKeyService keys;

    public InstanceSshKeysEndpoint(SshKeyService keys) {
        this.keys = keys;
    }

    public void register(Router r) {
        r.post("/api/v0/instances/{id}/ssh", Access.INSTANCE_WRITE, "api.instance.ssh_key.attach", (ctx, caller) -> {
            SshKey k = keys.attach(caller, Params.id(ctx, "id"), Params.string(Json.bodyMap(ctx), "ssh_key"));
            Json.ok(ctx, Json.success("msg", "SSH key attached successfully", "key", view(k)));
        });
        r.get("/api/v0/instances/{id}/ssh", Access.INSTANCE_READ, "api.instance.ssh_key.show", (ctx, caller) -> {
            List<Map<String, Object>> attached = keys.attached(caller, Params.id(ctx, "id")).stream()
                    .map(InstanceSshKeysEndpoint::view)
                    .toList();
            Json.ok(ctx, Json.success("ssh_keys", encoded(attached)));
        });
        r.delete(
                "/api/v0/instances/{id}/ssh/{key}",
                Access.INSTANCE_WRITE,
                "api.instance.ssh_key.detach",
                (ctx, caller) -> {
                    keys.detach(caller, Params.id(ctx, "id"), Params.id(ctx, "key"));
                    Json.ok(ctx, Json.success("msg", "SSH key removed from instance."));
                });
    }

    private static Map<String, Object> view(SshKey k) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", k.id());
        String[] parts = k.publicKey().split(" ", 3);
        v.put("name", parts.length == 3 ? parts[2] : "");
        v.put("public_key", k.publicKey());
        return v;
    }

    private static String encoded(Object value) {
        try {
            return Wire.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("key list is not serialisable", e);
        }
    }
}
