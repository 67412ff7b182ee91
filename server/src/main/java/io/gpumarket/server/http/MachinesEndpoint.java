package io.gpumarket.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.server.service.MaintenanceService;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Host routes (docs/vast-compatibility.md §h): registering a machine (our extension; the path the agent takes), Vast's {@code create_asks}
 * listing, unlisting and min bid, maintenance windows, and the host's own machines. Every route on one machine is
 * its owner's alone (403 otherwise, the same for a machine that does not exist).
 */
public final class MachinesEndpoint {
    private final MachineService machines;
    private final MaintenanceService maintenance;

    public MachinesEndpoint(MachineService machines, MaintenanceService maintenance) {
        this.machines = machines;
        this.maintenance = maintenance;
    }

    public void register(Router r) {
        r.post("/api/v0/host/machines", Access.MACHINE_WRITE, (ctx, caller) -> {
            var registered = machines.register(caller, Json.body(ctx, MachineRegistration.class));
            Json.ok(ctx, Json.success("machine_id", registered.machine().id(), "machine_token", registered.token()));
        });
        r.put("/api/v0/machines/create_asks", Access.MACHINE_WRITE, (ctx, caller) -> {
            Machine listed = machines.list(caller, Json.body(ctx, ListMachineRequest.class));
            Json.ok(ctx, Json.success("extended", 0, "machine", view(listed)));
        });
        r.delete("/api/v0/machines/{id}/asks", Access.MACHINE_WRITE, (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            machines.unlist(caller, id);
            Json.ok(ctx, Json.success("machine_id", id, "user_id", caller.userId()));
        });
        r.put("/api/v0/machines/{id}/minbid", Access.MACHINE_WRITE, (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            machines.setMinBid(caller, Params.id(ctx, "id"), Params.number(body, "price"));
            Json.ok(ctx, Json.success("you_sent", body));
        });
        r.put("/api/v0/machines/{id}/dnotify", Access.MACHINE_WRITE, (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            long id = Params.id(ctx, "id");
            MaintenanceBody asked = MaintenanceBody.from(body);
            var scheduled = maintenance.schedule(
                    caller, id, asked.sdate(), asked.durationHours(), asked.category(), asked.reason());
            Json.ok(
                    ctx,
                    Json.success(
                            "you_sent",
                            scheduled.notified() + " notifications sent",
                            "maintenance",
                            MaintenanceViews.of(scheduled.window())));
        });
        r.put("/api/v0/machines/{id}/cancel_maint", Access.MACHINE_WRITE, (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            var cancelled = maintenance.cancel(caller, id);
            Json.ok(
                    ctx,
                    Json.success(
                            "ctime",
                            cancelled.at().toEpochMilli() / 1000.0,
                            "machine_id",
                            id,
                            "msg",
                            "deleted " + cancelled.deleted() + " scheduled maintenance window(s) on machine " + id));
        });
        r.get("/api/v0/machines", Access.MACHINE_READ, (ctx, caller) -> {
            List<Machine> own = machines.ofHost(caller);
            Map<Long, MachineService.Notes> notes = machines.notes(own);
            Json.ok(
                    ctx,
                    Json.success(
                            "machines",
                            own.stream()
                                    .map(m -> MachineViews.of(m, notes.getOrDefault(m.id(), MachineService.Notes.NONE)))
                                    .toList()));
        });
        // Registered before /machines/{id}: Javalin takes the first route that matches, so the literal path wins.
        r.get(
                "/api/v0/machines/maintenances",
                Access.MACHINE_READ,
                (ctx, caller) -> Json.ok(
                        ctx,
                        maintenance.ofHost(caller, machineIds(ctx)).stream()
                                .map(MaintenanceViews::of)
                                .toList()));
        // Vast answers a list even for one machine.
        r.get(
                "/api/v0/machines/{id}",
                Access.MACHINE_READ,
                (ctx, caller) -> Json.ok(
                        ctx,
                        List.of(view(
                                machines.owned(caller, Params.id(ctx, "id"), "Only the machine owner can see it")))));
    }

    private Map<String, Object> view(Machine m) {
        return MachineViews.of(m, machines.notes(m));
    }

    /** {@code machine_ids} as vastai sends it (a JSON list, "[1, 2]"), or "1,2"; null when absent (all machines). */
    private static List<Long> machineIds(Context ctx) {
        String raw = ctx.queryParam("machine_ids");
        if (raw == null || raw.isBlank() || raw.strip().equals("null")) return null;
        String s = raw.strip();
        try {
            if (s.startsWith("[")) {
                List<Object> values = Json.read(s, new TypeReference<List<Object>>() {}, "query parameter machine_ids");
                return Params.ids(Map.of("machine_ids", values), "machine_ids");
            }
            List<Object> values = new ArrayList<>();
            for (String part : s.split(",")) values.add(part.strip());
            return Params.ids(Map.of("machine_ids", values), "machine_ids");
        } catch (java.io.IOException e) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'machine_ids' must be a list of ids like [1, 2], got " + raw);
        }
    }
}
