package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.migrate.Migration;
import io.gpumarket.server.service.MigrationService;
import io.gpumarket.store.MigrationRepo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moving an instance to another machine (docs/migrate.md): {@code PUT /api/v0/instances/migrate/{id}/} with {@code
 * {"offer_id": N}} or {@code {"q": {offer query}}} starts it, {@code GET} shows the instance's migrations (newest
 * first), {@code DELETE} gives up the one going (before its start on the destination).
 */
public final class MigrationEndpoint {
    private final MigrationService migrations;

    public MigrationEndpoint(MigrationService migrations) {
        this.migrations = migrations;
    }

    public void register(Router r) {
        r.put("/api/v0/instances/migrate/{id}", Access.INSTANCE_WRITE, "api.instance.migrate", (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            Map<String, Object> body = Json.bodyMap(ctx);
            Long offer = Params.id(body, "offer_id");
            Object q = body.get("q");
            if (q != null && !(q instanceof Map<?, ?>)) {
                throw new DomainException.BadRequest("invalid_query", "'q' must be an offer query object, got " + q);
            }
            if ((offer == null) == (q == null)) {
                throw new DomainException.BadRequest(
                        "invalid_args",
                        "give exactly one of 'offer_id' (an offer of another machine) and 'q' (an" + " offer query)");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> query = (Map<String, Object>) q;
            MigrationRepo.Row row = migrations.request(caller, id, offer, query);
            Map<String, Object> out = Json.success(
                    "migration_id",
                    row.id(),
                    "msg",
                    "Instance " + id + " is moving to machine "
                            + row.migration().toMachine() + "; its status_msg shows the progress.");
            out.put("migration", view(row));
            Json.ok(ctx, out);
        });
        r.get("/api/v0/instances/migrate/{id}", Access.INSTANCE_READ, "api.instance.migrate", (ctx, caller) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (MigrationRepo.Row row : migrations.history(caller, Params.id(ctx, "id"))) rows.add(view(row));
            Map<String, Object> out = Json.success();
            out.put("migrations", rows);
            Json.ok(ctx, out);
        });
        r.delete("/api/v0/instances/migrate/{id}", Access.INSTANCE_WRITE, "api.instance.migrate", (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            boolean canceled = migrations.cancel(caller, id);
            Json.ok(
                    ctx,
                    Json.success(
                            "msg",
                            canceled ? "Migration of " + id + " canceled" : "No migration of " + id + " was going."));
        });
    }

    private static Map<String, Object> view(MigrationRepo.Row row) {
        Migration m = row.migration();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", row.id());
        v.put("instance_id", m.instanceId());
        v.put("from_machine_id", m.fromMachine());
        v.put("to_machine_id", m.toMachine());
        v.put("to_offer_id", row.toOffer());
        v.put("state", m.state().wire());
        v.put("msg", row.message());
        v.put("reason", m.reason());
        v.put("requested_at", seconds(m.requestedAt()));
        v.put("copied_at", seconds(m.copiedAt()));
        v.put("started_at", seconds(m.startedAt()));
        v.put("ended_at", seconds(m.endedAt()));
        return v;
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }
}
