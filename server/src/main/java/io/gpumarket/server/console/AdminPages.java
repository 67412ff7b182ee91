package io.gpumarket.server.console;

import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.store.Store;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's page: users with their credit (and crediting them, as {@code PUT /api/v0/admin/users/{id}/credit/}
 * does), and machines with their verification (set as {@code PUT /api/v0/admin/machines/{id}/} sets it). Only an
 * admin signed in with full access reaches it: the check is the admin routes' own.
 */
final class AdminPages {
    private final AccountService accounts;
    private final MachineService machines;
    private final Store store;

    AdminPages(AccountService accounts, MachineService machines, Store store) {
        this.accounts = accounts;
        this.machines = machines;
        this.store = store;
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
            accounts.deposit(
                    id,
                    dollars,
                    "credited in the console by " + s.principal().user().email(),
                    null);
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
            v.put("credit", Money.toDollars(accounts.balance(u.id())));
            users.add(v);
        }
        List<Map<String, Object>> all = new ArrayList<>();
        for (Machine m : store.repos().machines().all()) all.add(ApiViews.machine(m, machines.notes(m)));
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Operator", "admin"));
        model.put("users", users);
        model.put("machines", all);
        model.put("notice", notice);
        ConsoleWeb.render(ctx, 200, "admin.jte", model);
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new DomainException.NotFound("not_found", "No such id '" + ctx.pathParam("id") + "'");
        }
    }
}
