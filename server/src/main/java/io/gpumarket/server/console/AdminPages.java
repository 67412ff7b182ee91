package io.gpumarket.server.console;

import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.agent.LastSeen;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.store.MarketStats;
import io.gpumarket.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's page: the market at a glance (machines online, GPUs rented, the month's charges and fees), users
 * with their credit (and crediting them, as {@code PUT /api/v0/admin/users/{id}/credit/} does), flagged reports
 * (host claims not believed and contracts set aside, as {@code GET /api/v0/admin/anomalies/} answers; renters'
 * report counts per machine), and machines with their verification (set as {@code PUT /api/v0/admin/machines/{id}/}). Only an
 * admin signed in with full access reaches it: the check is the admin routes' own.
 */
final class AdminPages {
    private final AccountService accounts;
    private final MachineService machines;
    private final Store store;
    private final Duration silentAfter;
    private final LastSeen lastSeen;
    private final Clock clock;

    /** @param silentAfter a machine not heard from for this long does not count as online */
    AdminPages(
            AccountService accounts,
            MachineService machines,
            Store store,
            Duration silentAfter,
            LastSeen lastSeen,
            Clock clock) {
        this.accounts = accounts;
        this.machines = machines;
        this.store = store;
        this.silentAfter = silentAfter;
        this.lastSeen = lastSeen;
        this.clock = clock;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/admin", web.signedIn((ctx, s) -> page(ctx, s, ctx.queryParam("notice"))));
        routes.post("/console/admin/users/{id}/credit", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.ADMIN, "api.admin.users.credit", Map.of());
            long id = id(ctx);
            String amount = ConsoleWeb.field(ctx, "amount");
            double dollars;
            try {
                dollars = Double.parseDouble(amount == null ? "" : amount);
            } catch (NumberFormatException e) {
                throw new DomainException.BadRequest("invalid_args", "The amount must be a number of dollars.");
            }
            // the form's one-time key: submitting the same form twice (a double click, a resent POST) credits once
            accounts.deposit(
                    id,
                    dollars,
                    "credited in the console by " + s.principal().user().email(),
                    ConsoleWeb.field(ctx, "idem"));
            ctx.redirect(
                    "/console/admin?notice="
                            + java.net.URLEncoder.encode(
                                    "Credited $" + amount + " to user " + id, java.nio.charset.StandardCharsets.UTF_8),
                    HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/admin/machines/{id}/verify", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.ADMIN, "api.admin.machines", Map.of());
            long id = id(ctx);
            String v = ConsoleWeb.field(ctx, "verification");
            Verification verification;
            try {
                verification = Verification.parse(v);
            } catch (IllegalArgumentException e) {
                throw new DomainException.BadRequest("invalid_args", e.getMessage());
            }
            machines.find(id);
            machines.setVerification(id, verification);
            ctx.redirect(
                    "/console/admin?notice="
                            + java.net.URLEncoder.encode(
                                    "Machine " + id + " is now " + v, java.nio.charset.StandardCharsets.UTF_8),
                    HttpStatus.SEE_OTHER);
        }));
    }

    private void page(Context ctx, ConsoleSessions.Live s, String notice) {
        ConsoleWeb.permit(s, Access.ADMIN, "api.admin.users", Map.of());
        List<Map<String, Object>> users = new ArrayList<>();
        for (User u : accounts.users()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", u.id());
            v.put("email", u.email());
            v.put("admin", u.admin());
            v.put("credit", Money.toDollars(accounts.balance(u.id())));
            users.add(v);
        }
        List<Machine> every = store.repos().machines().all();
        Map<Long, MachineService.Notes> notes = machines.notes(every);
        List<Map<String, Object>> all = new ArrayList<>();
        for (Machine m : every) all.add(ApiViews.machine(m, notes.getOrDefault(m.id(), MachineService.Notes.NONE)));
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Operator", "admin"));
        model.put("users", users);
        model.put("machines", all);
        model.put("flagged", ApiViews.anomalies(machines, 50));
        model.put("overview", overview(every));
        model.put("notice", notice);
        model.put("idem", ConsoleWeb.onceKey("console-credit"));
        ConsoleWeb.render(ctx, 200, "admin.jte", model);
    }

    /**
     * The market at a glance: machines (and how many were heard from lately), GPUs listed and rented, live instances,
     * and the last 30 days' money: what renters were charged and the platform's fees.
     */
    private Map<String, Object> overview(List<Machine> every) {
        Instant now = clock.instant();
        // heartbeats live in memory and reach the database in batches: ask the memory first
        Instant since = now.minus(silentAfter);
        long online = every.stream()
                .filter(m -> lastSeen.of(m.id()).filter(t -> !t.isBefore(since)).isPresent())
                .count();
        MarketStats st = store.repos().stats().market(now.minus(silentAfter));
        long listed = 0;
        for (MarketStats.MachineCount c : st.machines()) if (c.listed()) listed += c.count();
        long gpusListed = 0;
        long gpusRented = 0;
        for (MarketStats.GpuCount g : st.gpus()) {
            gpusListed += g.listed();
            gpusRented += g.rented();
        }
        long instances = 0;
        for (MarketStats.InstanceCount i : st.instances()) instances += i.count();
        Map<String, Long> money = store.repos().stats().ledgerByKind(now.minus(Duration.ofDays(30)), now);
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("machines", every.size());
        v.put("online", online);
        v.put("listed", listed);
        v.put("gpus_listed", gpusListed);
        v.put("gpus_rented", gpusRented);
        v.put("instances", instances);
        // posted negative on the accounts charged; shown as the amounts taken
        v.put("charged_30d", Fmt.usd(Money.toDollars(-money.getOrDefault("charge", 0L))));
        v.put("fees_30d", Fmt.usd(Money.toDollars(-money.getOrDefault("fee", 0L))));
        v.put("anomalies", st.hostAnomalies());
        v.put("set_aside", st.setAside());
        return v;
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new DomainException.NotFound("not_found", "No such id '" + ctx.pathParam("id") + "'");
        }
    }
}
