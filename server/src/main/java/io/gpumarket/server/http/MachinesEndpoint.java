package io.gpumarket.server.http;

import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.server.service.MachineService;
import java.util.List;

/**
 * Host routes: registering a machine (our extension; the path the agent takes), Vast's {@code create_asks}
 * listing and unlisting, and the host's own machines.
 */
public final class MachinesEndpoint {
    private final MachineService machines;

    public MachinesEndpoint(MachineService machines) {
        this.machines = machines;
    }

    public void register(Router r) {
        r.post("/api/v0/host/machines", Access.MACHINE_WRITE, (ctx, caller) -> {
            var registered = machines.register(caller, Json.body(ctx, MachineRegistration.class));
            Json.ok(ctx, Json.success("machine_id", registered.machine().id(), "machine_token", registered.token()));
        });
        r.put("/api/v0/machines/create_asks", Access.MACHINE_WRITE, (ctx, caller) -> {
            Machine listed = machines.list(caller, Json.body(ctx, ListMachineRequest.class));
            Json.ok(ctx, Json.success("extended", 0, "machine", MachineViews.of(listed)));
        });
        r.delete("/api/v0/machines/{id}/asks", Access.MACHINE_WRITE, (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            machines.unlist(caller, id);
            Json.ok(ctx, Json.success("machine_id", id, "user_id", caller.userId()));
        });
        r.get("/api/v0/machines", Access.MACHINE_READ, (ctx, caller) ->
                Json.ok(ctx, Json.success("machines", machines.ofHost(caller).stream().map(MachineViews::of).toList())));
        // Vast answers a list even for one machine.
        r.get("/api/v0/machines/{id}", Access.MACHINE_READ, (ctx, caller) -> {
            Machine m = machines.owned(caller, Params.id(ctx, "id"), "Only the machine owner can see it");
            Json.ok(ctx, List.of(MachineViews.of(m)));
        });
    }
}
