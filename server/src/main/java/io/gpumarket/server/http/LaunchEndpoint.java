package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.service.LaunchService;
import java.util.Map;

/**
 * {@code PUT /api/v0/launch_instance/} (docs/vast-compatibility.md §b.1, the CLI's {@code launch instance}): the create body of
 * {@code PUT /asks/{offer}/} plus the offer query {@code q}, answered as a create is. Vast files it under
 * {@code misc}, with search.
 */
public final class LaunchEndpoint {
    private final LaunchService launches;

    public LaunchEndpoint(LaunchService launches) {
        this.launches = launches;
    }

    public void register(Router r) {
        r.put("/api/v0/launch_instance", Access.MISC, "api.launch_instance", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            Object q = body.get("q");
            if (body.get("volume_info") != null) {
                // a volume lives on one machine, which a launch picks only as it rents
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "'volume_info' needs a chosen offer: search volumes and offers, then PUT /api/v0/asks/{id}/");
            }
            if (q != null && !(q instanceof Map<?, ?>)) {
                throw new DomainException.BadRequest("invalid_query", "'q' must be an offer query object, got " + q);
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> query = (Map<String, Object>) q;
            var rented = launches.launch(
                    caller, InstancesEndpoint.rentFields(body), InstancesEndpoint.templateHashId(body), query);
            Json.ok(
                    ctx,
                    Json.success("new_contract", rented.instance().id(), "instance_api_key", rented.instanceApiKey()));
        });
    }
}
