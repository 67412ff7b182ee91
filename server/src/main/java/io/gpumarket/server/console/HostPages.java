package io.gpumarket.server.console;

import io.gpumarket.api.Wire;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.MachineService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's machines: state, reliability and verification as {@code GET /api/v0/machines/} shows them, the last
 * 30 days' earnings of each, listing at a price and unlisting, and the agent command that adds a machine.
 */
final class HostPages {
    private static final long DAY_MILLIS = 86_400_000L;

    private final MachineService machines;
    private final BillingService billing;

    HostPages(MachineService machines, BillingService billing) {
        this.machines = machines;
        this.billing = billing;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/host", web.signedIn((ctx, s) -> page(ctx, s, 200, null)));
        routes.post("/console/host/machines/{id}/list", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.MACHINE_WRITE, "api.machines.create_asks", Map.of());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("machine", id);
            body.put("price_gpu", ConsoleWeb.field(ctx, "price_gpu"));
            try {
                machines.list(s.principal(), Wire.mapper().convertValue(body, ListMachineRequest.class));
            } catch (IllegalArgumentException e) {
                page(ctx, s, 400, "The price must be a number of dollars.");
                return;
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage());
                return;
            }
            ctx.redirect("/console/host", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/host/machines/{id}/unlist", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.MACHINE_WRITE, "api.machines.asks", Map.of("id", Long.toString(id)));
            machines.unlist(s.principal(), id);
            ctx.redirect("/console/host", HttpStatus.SEE_OTHER);
        }));
    }

    private void page(Context ctx, ConsoleSessions.Live s, int status, String error) {
        ConsoleWeb.permit(s, Access.MACHINE_READ, "api.machines", Map.of());
        List<Machine> own = machines.ofHost(s.principal());
        Map<Long, MachineService.Notes> notes = machines.notes(own);
        long today = Math.floorDiv(billing.chargedTo().toEpochMilli(), DAY_MILLIS);
        BillingService.Earnings earned = billing.earnings(s.principal().userId(), null, today - 29, today);
        List<Map<String, Object>> views = new ArrayList<>();
        for (Machine m : own) {
            Map<String, Object> v =
                    new LinkedHashMap<>(ApiViews.machine(m, notes.getOrDefault(m.id(), MachineService.Notes.NONE)));
            BillingService.Earned e = earned.perMachine().get(m.id());
            v.put("earned_30d", e == null ? 0.0 : Money.toDollars(e.net().total()));
            views.add(v);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Host", "host"));
        model.put("machines", views);
        model.put("earned", Fmt.usd(Money.toDollars(earned.total().net().total())));
        model.put(
                "agentCommand",
                "gpumarket agent --server " + ctx.scheme() + "://" + ctx.host() + " --token MACHINE_TOKEN");
        model.put("error", error);
        ConsoleWeb.render(ctx, status, "host.jte", model);
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new DomainException.NotFound("no_such_machine", "No machine '" + ctx.pathParam("id") + "'");
        }
    }
}
