package io.gpumarket.server.console;

import io.gpumarket.api.Wire;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MaintenanceWindow;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.server.service.MaintenanceService;
import io.gpumarket.server.service.ReportService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The host's machines: state, reliability and verification as {@code GET /api/v0/machines/} shows them; listing at
 * a price with a minimum bid and a prepay discount ({@code create_asks}), unlisting, the minimum bid alone
 * ({@code minbid}), maintenance windows ({@code dnotify}, {@code cancel_maint}), renters' reports
 * ({@code GET /api/v0/machines/{id}/reports/}), earnings per machine and per day over 30 days (with a chart), and
 * adding a machine: registering it as {@code POST /api/v0/host/machines/} does, which shows the agent command with
 * its token once.
 */
final class HostPages {
    private static final int DAYS = 30;

    private final MachineService machines;
    private final BillingService billing;
    private final MaintenanceService maintenance;
    private final ReportService reports;

    HostPages(MachineService machines, BillingService billing, MaintenanceService maintenance, ReportService reports) {
        this.machines = machines;
        this.billing = billing;
        this.maintenance = maintenance;
        this.reports = reports;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/host", web.signedIn((ctx, s) -> page(ctx, s, 200, null, null)));
        routes.post("/console/host/machines/{id}/list", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.MACHINE_WRITE, "api.machines.create_asks", Map.of());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("machine", id);
            body.put("price_gpu", ConsoleWeb.field(ctx, "price_gpu"));
            String minBid = ConsoleWeb.field(ctx, "price_min_bid");
            if (minBid != null) body.put("price_min_bid", minBid);
            String discount = ConsoleWeb.field(ctx, "discount_pct");
            try {
                if (discount != null) body.put("credit_discount_max", Double.parseDouble(discount) / 100);
                machines.list(s.principal(), Wire.mapper().convertValue(body, ListMachineRequest.class));
            } catch (IllegalArgumentException e) {
                page(ctx, s, 400, "Prices must be numbers of dollars and the discount a percentage.", null);
                return;
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage(), null);
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
        routes.post("/console/host/machines/{id}/minbid", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.MACHINE_WRITE, "api.machines.minbid", Map.of("id", Long.toString(id)));
            try {
                String p = ConsoleWeb.field(ctx, "price");
                machines.setMinBid(s.principal(), id, p == null ? null : Double.parseDouble(p));
            } catch (NumberFormatException e) {
                page(ctx, s, 400, "The minimum bid must be a number of dollars.", null);
                return;
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage(), null);
                return;
            }
            ctx.redirect("/console/host", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/host/machines/{id}/maintenance", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.MACHINE_WRITE, "api.machines.dnotify", Map.of("id", Long.toString(id)));
            try {
                String hours = ConsoleWeb.field(ctx, "duration");
                maintenance.schedule(
                        s.principal(),
                        id,
                        // a datetime-local field's value is local to the browser; the page says it is taken as UTC
                        ConsoleWeb.field(ctx, "start") == null ? null : ConsoleWeb.field(ctx, "start") + ":00Z",
                        hours == null ? null : Double.parseDouble(hours),
                        ConsoleWeb.field(ctx, "category"),
                        ConsoleWeb.field(ctx, "reason"));
            } catch (NumberFormatException e) {
                page(ctx, s, 400, "The duration must be a number of hours.", null);
                return;
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage(), null);
                return;
            }
            ctx.redirect("/console/host", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/host/machines/{id}/cancel-maintenance", web.signedIn((ctx, s) -> {
            long id = id(ctx);
            ConsoleWeb.permit(s, Access.MACHINE_WRITE, "api.machines.cancel_maint", Map.of("id", Long.toString(id)));
            maintenance.cancel(s.principal(), id);
            ctx.redirect("/console/host", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/host/machines", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.MACHINE_WRITE, "api.host.machines", Map.of());
            Map<String, Object> body = new LinkedHashMap<>();
            for (String f :
                    List.of("gpu_name", "num_gpus", "gpu_ram", "cpu_cores", "cpu_ram", "disk_space", "geolocation")) {
                String v = ConsoleWeb.field(ctx, f);
                if (v != null) body.put(f, v);
            }
            MachineService.Registered registered;
            try {
                registered =
                        machines.register(s.principal(), Wire.mapper().convertValue(body, MachineRegistration.class));
            } catch (IllegalArgumentException e) {
                page(ctx, s, 400, "Counts and sizes must be whole numbers.", null);
                return;
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage(), null);
                return;
            }
            page(ctx, s, 200, null, registered);
        }));
    }

    private void page(Context ctx, ConsoleSessions.Live s, int status, String error, MachineService.Registered added) {
        ConsoleWeb.permit(s, Access.MACHINE_READ, "api.machines", Map.of());
        List<Machine> own = machines.ofHost(s.principal());
        Map<Long, MachineService.Notes> notes = machines.notes(own);
        long today = Daily.day(billing.now());
        BillingService.Earnings earned = billing.earnings(s.principal().userId(), null, today - (DAYS - 1), today);
        Map<Long, List<Map<String, Object>>> windows = new HashMap<>();
        for (MaintenanceWindow w : maintenance.ofHost(s.principal(), null)) {
            windows.computeIfAbsent(w.machineId(), k -> new ArrayList<>()).add(ApiViews.maintenance(w));
        }
        List<Map<String, Object>> views = new ArrayList<>();
        for (Machine m : own) {
            Map<String, Object> v =
                    new LinkedHashMap<>(ApiViews.machine(m, notes.getOrDefault(m.id(), MachineService.Notes.NONE)));
            BillingService.Earned e = earned.perMachine().get(m.id());
            v.put("earned_30d", e == null ? 0.0 : Money.toDollars(e.net().total()));
            v.put("windows", windows.getOrDefault(m.id(), List.of()));
            v.put(
                    "reports",
                    reports.ofMachine(s.principal(), m.id()).stream()
                            .map(ApiViews::report)
                            .toList());
            views.add(v);
        }
        Map<Long, Long> perDay = new HashMap<>();
        earned.perDay().forEach((day, e) -> perDay.put(day, e.net().total()));
        List<SvgChart.Point> machineBars = new ArrayList<>();
        for (Machine m : own) {
            BillingService.Earned e = earned.perMachine().get(m.id());
            machineBars.add(new SvgChart.Point(
                    "#" + m.id(), e == null ? 0 : Money.toDollars(e.net().total())));
        }
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Host", "host"));
        model.put("machines", views);
        model.put("earned", Fmt.usd(Money.toDollars(earned.total().net().total())));
        model.put("dayChart", SvgChart.bars("Earnings per day", Daily.ofDays(perDay, billing.now(), DAYS)));
        model.put("machineChart", own.isEmpty() ? null : SvgChart.bars("Earnings per machine, 30 days", machineBars));
        String server = ctx.scheme() + "://" + ctx.host();
        model.put(
                "agentCommand",
                "gpumarket agent --server " + server + " --token " + (added == null ? "MACHINE_TOKEN" : added.token()));
        model.put("addedId", added == null ? 0L : added.machine().id());
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
