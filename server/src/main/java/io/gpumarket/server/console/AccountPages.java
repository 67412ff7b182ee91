package io.gpumarket.server.console;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.SshKeyService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The account's SSH keys (add, delete) and billing: credit, the last 30 days' charges and invoices (deposits,
 * transfers, refunds, as {@code GET /api/v1/invoices/} lists them), and charts of spend per day and credit over time.
 */
final class AccountPages {
    private static final int CHART_DAYS = 30;
    private static final java.util.Set<String> LEDGER_KINDS =
            java.util.Set.of("deposit", "transfer", "refund", "charge", "fee", "earning");
    private final SshKeyService sshKeys;
    private final BillingService billing;

    AccountPages(SshKeyService sshKeys, BillingService billing) {
        this.sshKeys = sshKeys;
        this.billing = billing;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/keys", web.signedIn((ctx, s) -> keys(ctx, s, 200, null)));
        routes.post("/console/keys", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.ssh_key.create", Map.of());
            try {
                sshKeys.add(s.principal(), ConsoleWeb.field(ctx, "public_key"));
            } catch (DomainException.BadRequest | DomainException.Conflict e) {
                keys(ctx, s, 400, e.getMessage());
                return;
            }
            ctx.redirect("/console/keys", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/keys/{id}/delete", web.signedIn((ctx, s) -> {
            String id = ctx.pathParam("id");
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.ssh_key.delete", Map.of("id", id));
            try {
                sshKeys.delete(s.principal(), Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw new DomainException.NotFound("no_such_key", "No SSH key '" + id + "'");
            }
            ctx.redirect("/console/keys", HttpStatus.SEE_OTHER);
        }));
        routes.get("/console/billing", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.BILLING_READ, "api.charges.show", Map.of());
            long userId = s.principal().userId();
            Instant to = billing.chargedTo();
            List<Map<String, Object>> charges = billing.charges(userId, to.minus(Duration.ofDays(30)), to).stream()
                    .map(ApiViews::charges)
                    .toList();
            // the invoices list is its own API route: a key that may read charges but not invoices sees no invoices
            Instant now = billing.now();
            Instant from = Daily.startOf(Daily.day(now) - (CHART_DAYS - 1));
            long balance = billing.balance(userId);
            List<LedgerEntry> all = billing.entries(userId, LEDGER_KINDS, from, now);
            Map<String, Object> model = new HashMap<>();
            model.put("frame", ConsoleWeb.frame(s, "Billing", "billing"));
            model.put("credit", Fmt.usd(Money.toDollars(balance)));
            model.put("charges", charges);
            model.put(
                    "invoices",
                    !mayList(s)
                            ? null
                            : all.stream()
                                    .filter(e -> ApiViews.invoiceKinds().contains(e.kind()))
                                    .sorted(java.util.Comparator.comparing(LedgerEntry::createdAt)
                                            .reversed())
                                    .map(ApiViews::invoice)
                                    .toList());
            model.put("spendChart", SvgChart.bars("Spend per day", Daily.spend(all, now, CHART_DAYS)));
            model.put(
                    "creditChart",
                    SvgChart.line("Credit at the end of each day", Daily.credit(all, balance, now, CHART_DAYS)));
            ConsoleWeb.render(ctx, 200, "billing.jte", model);
        }));
    }

    /** Whether the session may read invoices ({@code GET /api/v1/invoices/}), a route a key is granted apart. */
    private static boolean mayList(ConsoleSessions.Live s) {
        try {
            ConsoleWeb.permit(s, Access.BILLING_READ, "api.invoices.list", Map.of());
            return true;
        } catch (DomainException.Forbidden e) {
            return false;
        }
    }

    private void keys(Context ctx, ConsoleSessions.Live s, int status, String error) {
        ConsoleWeb.permit(s, Access.USER_READ, "api.ssh_key.show", Map.of());
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "SSH keys", "keys"));
        model.put("keys", sshKeys.list(s.principal()));
        model.put("error", error);
        ConsoleWeb.render(ctx, status, "keys.jte", model);
    }
}
