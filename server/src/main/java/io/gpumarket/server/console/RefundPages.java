package io.gpumarket.server.console;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.BillingService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's view of one account ({@code /console/admin/users/{id}}): its credit, what each of its instances was
 * charged in the last 30 days, and its payments (deposits, transfers, refunds, as the user's own billing page lists
 * them); and refunds, of one instance's charge or of any amount, with the reason the user will read. A refund is
 * {@code PUT /api/v0/admin/users/{id}/refund/}'s service call under that route's check (an admin with full access),
 * so the ledger gets the same {@code refund} entry either way.
 */
final class RefundPages {
    private static final int DAYS = 30;
    private static final java.util.regex.Pattern FOR_INSTANCE =
            java.util.regex.Pattern.compile("instance (\\d{1,18}): ");

    private final AccountService accounts;
    private final BillingService billing;

    RefundPages(AccountService accounts, BillingService billing) {
        this.accounts = accounts;
        this.billing = billing;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get(
                "/console/admin/users/{id}",
                web.signedIn((ctx, s) -> page(ctx, s, 200, ctx.queryParam("notice"), null)));
        routes.post("/console/admin/users/{id}/refund", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.ADMIN, "api.admin.users.refund", Map.of());
            long id = id(ctx);
            String amount = ConsoleWeb.field(ctx, "amount");
            LedgerEntry entry;
            try {
                entry = accounts.refund(
                        id,
                        dollars(amount),
                        ConsoleWeb.field(ctx, "reason"),
                        instance(ConsoleWeb.field(ctx, "instance_id")),
                        // the form's one-time key: the same form sent twice (a double click, a resent POST) refunds
                        // once
                        ConsoleWeb.field(ctx, "idem"));
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, null, e.getMessage());
                return;
            }
            String notice = "Refunded " + Fmt.usd(Money.toDollars(entry.amount())) + " to user " + id
                    + " (ledger entry " + entry.id() + ")";
            ctx.redirect(
                    "/console/admin/users/" + id + "?notice=" + URLEncoder.encode(notice, StandardCharsets.UTF_8),
                    HttpStatus.SEE_OTHER);
        }));
    }

    private void page(Context ctx, ConsoleSessions.Live s, int status, String notice, String error) {
        ConsoleWeb.permit(s, Access.ADMIN, "api.admin.users", Map.of());
        User user = accounts.user(id(ctx));
        Instant now = billing.now();
        List<LedgerEntry> paid =
                billing.entries(user.id(), ApiViews.invoiceKinds(), now.minus(Duration.ofDays(DAYS)), now);
        Map<Long, Long> refunded = refundedPerInstance(paid);
        Instant to = billing.chargedTo();
        List<Map<String, Object>> charges = new ArrayList<>();
        for (BillingService.InstanceCharges c : billing.charges(user.id(), to.minus(Duration.ofDays(DAYS)), to)) {
            Map<String, Object> v = new LinkedHashMap<>(ApiViews.charges(c));
            v.put("instance_id", c.contract().id());
            // what was refunded of it already, so that the operator does not give the same charge back twice; the
            // refund field starts at what is left of the charge, in dollars to the micro-dollar (empty when nothing is)
            long given = refunded.getOrDefault(c.contract().id(), 0L);
            long left = Math.max(0, c.total() - given);
            v.put("refunded", Money.toDollars(given));
            v.put(
                    "left",
                    left == 0
                            ? ""
                            : java.math.BigDecimal.valueOf(left, 6)
                                    .stripTrailingZeros()
                                    .toPlainString());
            charges.add(v);
        }
        List<Map<String, Object>> payments = paid.stream()
                .sorted(Comparator.comparing(LedgerEntry::createdAt).reversed())
                .map(ApiViews::invoice)
                .toList();
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", user.id());
        u.put("email", user.email());
        u.put("credit", Money.toDollars(accounts.balance(user.id())));
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "User " + user.id(), "admin"));
        model.put("u", u);
        model.put("charges", charges);
        model.put("payments", payments);
        model.put("idem", ConsoleWeb.onceKey("console-refund"));
        model.put("notice", notice);
        model.put("error", error);
        ConsoleWeb.render(ctx, status, "admin_user.jte", model);
    }

    /**
     * The refunds of the last 30 days per instance they were for: {@link AccountService#refund} writes such a refund's
     * memo as {@code "instance ID: reason"}.
     */
    static Map<Long, Long> refundedPerInstance(List<LedgerEntry> entries) {
        Map<Long, Long> out = new HashMap<>();
        for (LedgerEntry e : entries) {
            if (!e.kind().equals("refund") || e.memo() == null) continue;
            java.util.regex.Matcher m = FOR_INSTANCE.matcher(e.memo());
            if (m.lookingAt()) out.merge(Long.parseLong(m.group(1)), e.amount(), Long::sum);
        }
        return out;
    }

    private static double dollars(String amount) {
        try {
            return Double.parseDouble(amount == null ? "" : amount);
        } catch (NumberFormatException e) {
            throw new DomainException.BadRequest("invalid_args", "The amount must be a number of dollars.");
        }
    }

    private static Long instance(String raw) {
        if (raw == null) return null;
        try {
            return Long.valueOf(raw);
        } catch (NumberFormatException e) {
            throw new DomainException.BadRequest(
                    "invalid_args", "The instance must be an instance id, got '" + raw + "'");
        }
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new DomainException.NotFound("no_such_user", "No user '" + ctx.pathParam("id") + "'");
        }
    }
}
