package io.gpumarket.server.http;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.BillingService.InstanceCharges;
import io.gpumarket.server.service.TransferService;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Billing, the client side (docs/vast-compatibility.md §b.6): per-instance charges, invoices (payments and transfers, v1 and legacy),
 * host earnings, and credit transfers. Everything shown is cut at the meter's watermark, so it adds up to the
 * ledger.
 */
public final class BillingEndpoint {
    private static final Set<String> CHARGE_TYPES = Set.of("instance", "volume", "serverless");

    private final BillingService billing;
    private final TransferService transfers;

    public BillingEndpoint(BillingService billing, TransferService transfers) {
        this.billing = billing;
        this.transfers = transfers;
    }

    public void register(Router r) {
        r.get("/api/v0/charges", Access.BILLING_READ, "api.charges.show", this::charges);
        r.get("/api/v1/invoices", Access.BILLING_READ, "api.invoices.list", this::invoices);
        r.get("/api/v0/users/{user}/invoices", Access.BILLING_READ, "api.invoices.show", this::legacyInvoices);
        r.get("/api/v0/users/{user}/machine-earnings", Access.BILLING_READ, "api.earnings.show", this::earnings);
        r.put("/api/v0/commands/transfer_credit", Access.BILLING_WRITE, "api.credit.transfer", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            var sent = transfers.transfer(
                    caller, Params.string(body, "sender"), recipient(body), Params.number(body, "amount"));
            Json.ok(
                    ctx,
                    Json.success(
                            "msg",
                            String.format(
                                    Locale.ROOT,
                                    "Sent $%.2f to %s",
                                    Money.toDollars(sent.amount()),
                                    sent.recipient().email())));
        });
    }

    private record ChargeRow(long key, long id, java.util.function.Supplier<Map<String, Object>> view) {}

    private void charges(Context ctx, Principal caller) {
        Map<String, Object> filters = BillingQuery.filters(ctx);
        BillingQuery.Range day = BillingQuery.range(filters, "day")
                .orElseThrow(() -> new DomainException.BadRequest(
                        "invalid_args", "Must provide both 'day' gte and lte filters for instance charges"));
        List<String> types = BillingQuery.values(filters, "type").orElse(List.of("instance"));
        for (String t : types) {
            if (!CHARGE_TYPES.contains(t)) {
                throw new DomainException.BadRequest(
                        "invalid_args", "charge type must be instance, volume or serverless, got " + t);
            }
        }
        String format = ctx.queryParam("format") == null ? "table" : ctx.queryParam("format");
        if (!format.equals("table") && !format.equals("tree")) {
            throw new DomainException.BadRequest("invalid_args", "format must be table or tree, got " + format);
        }
        boolean latestFirst = BillingQuery.flag(ctx, "latest_first");
        int limit = BillingQuery.limit(ctx);
        String order = "charges:" + (latestFirst ? "desc" : "asc");
        boolean tree = format.equals("tree");
        // instances and volumes in one page, by id; a volume's tiebreak is its negated id, so the two never collide
        List<ChargeRow> all = new ArrayList<>();
        if (types.contains("instance")) {
            for (InstanceCharges c : billing.charges(caller.userId(), day.from(), day.to())) {
                all.add(new ChargeRow(c.contract().id(), c.contract().id(), () -> ChargeViews.of(c, tree)));
            }
        }
        if (types.contains("volume")) {
            for (BillingService.VolumeCharges c : billing.volumeCharges(caller.userId(), day.from(), day.to())) {
                all.add(new ChargeRow(c.volume().id(), -c.volume().id(), () -> ChargeViews.of(c, tree)));
            }
        }
        BillingPage<ChargeRow> page = BillingPage.of(
                all, ChargeRow::key, ChargeRow::id, latestFirst, order, BillingQuery.after(ctx, order), limit);
        Json.ok(ctx, list(page.rows().stream().map(r -> r.view().get()).toList(), page.total(), page.nextToken()));
    }

    /** Date-range errors are HTTP 200 with success false here, as Vast answers them (docs/vast-compatibility.md §i.16). */
    private void invoices(Context ctx, Principal caller) {
        Map<String, Object> filters = BillingQuery.filters(ctx);
        var when = BillingQuery.range(filters, "when");
        if (when.isEmpty()) {
            Map<String, Object> body = list(List.of(), 0, null);
            body.put("success", false);
            body.put("error", "Invalid date range");
            body.put(
                    "msg",
                    "Invalid date range: select_filters needs \"when\": {\"gte\": start, \"lte\": end} in unix seconds");
            Json.ok(ctx, body);
            return;
        }
        List<String> services = BillingQuery.values(filters, "service").orElse(null);
        Map.Entry<String, Boolean> orderBy = BillingQuery.orderBy(ctx);
        String column = orderBy == null ? "when" : orderBy.getKey();
        if (!Set.of("when", "paid_on", "id", "amount").contains(column)) {
            throw new DomainException.BadRequest(
                    "invalid_args", "order_by col must be when, paid_on, id or amount, got " + column);
        }
        boolean descending = orderBy != null ? orderBy.getValue() : BillingQuery.flag(ctx, "latest_first");
        int limit = BillingQuery.limit(ctx);
        List<LedgerEntry> entries = new ArrayList<>();
        for (LedgerEntry e : billing.entries(
                caller.userId(),
                InvoiceViews.KINDS,
                when.get().from(),
                when.get().to())) {
            if (services == null || services.contains(InvoiceViews.service(e))) entries.add(e);
        }
        String order = "invoices:" + column + ":" + (descending ? "desc" : "asc");
        BillingPage<LedgerEntry> page = column.equals("amount")
                ? BillingPage.of(
                        entries,
                        LedgerEntry::amount,
                        LedgerEntry::id,
                        descending,
                        order,
                        BillingQuery.after(ctx, order),
                        limit)
                : BillingPage.of(
                        entries,
                        e -> e.createdAt().toEpochMilli(),
                        LedgerEntry::id,
                        descending,
                        order,
                        BillingQuery.after(ctx, order),
                        limit);
        Json.ok(ctx, list(page.rows().stream().map(InvoiceViews::v1).toList(), page.total(), page.nextToken()));
    }

    private void legacyInvoices(Context ctx, Principal caller) {
        self(ctx, caller);
        Instant end = epoch(ctx, "edate", billing.now());
        Instant start = epoch(ctx, "sdate", end.minusSeconds(86_400));
        String inc = ctx.queryParam("inc_charges");
        boolean withCharges = inc == null || !(inc.equalsIgnoreCase("false") || inc.equals("0"));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LedgerEntry e : billing.entries(caller.userId(), InvoiceViews.KINDS, start, end))
            rows.add(InvoiceViews.payment(e));
        long charged = 0;
        if (!end.isBefore(start)) {
            for (InstanceCharges c : billing.charges(caller.userId(), start, end)) {
                charged += c.total();
                if (withCharges) rows.addAll(InvoiceViews.charges(c));
            }
        }
        rows.sort(Comparator.comparingDouble(r -> ((Number) r.get("timestamp")).doubleValue()));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("invoices", rows);
        Map<String, Object> current = new LinkedHashMap<>();
        current.put("charges", Money.toDollars(charged));
        current.put("service_fee", 0.0);
        current.put("total", Money.toDollars(charged));
        current.put("credit", Money.toDollars(billing.balance(caller.userId())));
        body.put("current", current);
        InvoiceViews.account(body, caller.user());
        Json.ok(ctx, body);
    }

    /** {@code sday}/{@code eday} are days since the epoch (floats, as the CLI sends them); both days are included. */
    private void earnings(Context ctx, Principal caller) {
        self(ctx, caller);
        double today = billing.now().toEpochMilli() / 86_400_000.0;
        long first = BillingQuery.day(number(ctx, "sday", today - 1));
        long last = BillingQuery.day(number(ctx, "eday", today - 1));
        if (last < first) throw new DomainException.BadRequest("invalid_args", "eday must not be before sday");
        if (last - first > 3660)
            throw new DomainException.BadRequest("invalid_args", "at most ten years of days per request");
        String machid = ctx.queryParam("machid");
        Long machine = null;
        if (machid != null
                && !machid.isBlank()
                && !machid.equalsIgnoreCase("null")
                && !machid.equalsIgnoreCase("none")) {
            try {
                machine = Long.parseLong(machid.strip());
            } catch (NumberFormatException e) {
                throw new DomainException.BadRequest("invalid_args", "machid must be a machine id, got " + machid);
            }
        }
        var earned = billing.earnings(caller.userId(), machine, first, last);
        Json.ok(ctx, EarningViews.of(caller.user(), earned, billing.balance(caller.userId())));
    }

    private static Map<String, Object> list(List<Map<String, Object>> results, int total, String next) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("count", results.size());
        body.put("total", total);
        body.put("next_token", next);
        body.put("results", results);
        return body;
    }

    /** "me", or the caller's own id: another account's reports answer like a missing one. */
    private static void self(Context ctx, Principal caller) {
        String user = ctx.pathParam("user");
        if (!user.equals("me") && !user.equals(String.valueOf(caller.userId()))) {
            throw new DomainException.NotFound("no_such_user", "No such user: " + user);
        }
    }

    private static String recipient(Map<String, Object> body) {
        Object v = body.get("recipient");
        if (v instanceof Number n) return String.valueOf(n.longValue());
        return Params.string(body, "recipient");
    }

    private static Instant epoch(Context ctx, String name, Instant fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        return BillingQuery.instant(number(ctx, name, 0));
    }

    private static double number(Context ctx, String name, double fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            double v = Double.parseDouble(raw.strip());
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw new DomainException.BadRequest("invalid_args", name + " must be a number, got " + raw);
    }
}
