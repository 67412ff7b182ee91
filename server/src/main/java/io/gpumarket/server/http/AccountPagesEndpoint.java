package io.gpumarket.server.http;

import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;
import io.gpumarket.core.query.RowQuery;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.service.AccountPagesService;
import io.gpumarket.store.AuditRepo;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Account pages (docs/vast-compatibility.md): {@code GET /users/{me}/ipaddrs} ({@code show ipaddrs}),
 * {@code GET /benchmarks/} ({@code search benchmarks}: {@code select_filters}, {@code order_by}, {@code limit} as
 * vast-cli's {@code offers.py} sends them, answered as a bare array) and {@code GET /invoices} ({@code search
 * invoices}, a bare array of Vast's invoice rows from the ledger's payment records).
 */
public final class AccountPagesEndpoint {
    private static final RowQuery.Schema BENCHMARKS = new RowQuery.Schema(
            columns(
                    "id", RowQuery.Kind.NUMBER,
                    "machine_id", RowQuery.Kind.NUMBER,
                    "contract_id", RowQuery.Kind.NUMBER,
                    "name", RowQuery.Kind.STRING,
                    "model", RowQuery.Kind.STRING,
                    "image", RowQuery.Kind.STRING,
                    "num_gpus", RowQuery.Kind.NUMBER,
                    "score", RowQuery.Kind.NUMBER,
                    "last_update", RowQuery.Kind.NUMBER,
                    // vastai's current names of the same (benchmarks_fields): gpu_name, type, value
                    "gpu_name", RowQuery.Kind.STRING,
                    "type", RowQuery.Kind.STRING,
                    "value", RowQuery.Kind.NUMBER,
                    "launch_args", RowQuery.Kind.STRING,
                    "template_hash", RowQuery.Kind.STRING,
                    "template_id", RowQuery.Kind.NUMBER),
            "invalid_request",
            "Error in search benchmarks query: ");
    private static final RowQuery.Schema INVOICES = new RowQuery.Schema(
            columns(
                    "id", RowQuery.Kind.NUMBER,
                    "user_id", RowQuery.Kind.NUMBER,
                    "when", RowQuery.Kind.NUMBER,
                    "paid_on", RowQuery.Kind.NUMBER,
                    "payment_expected", RowQuery.Kind.NUMBER,
                    "amount_cents", RowQuery.Kind.NUMBER,
                    "is_credit", RowQuery.Kind.BOOL,
                    "is_delayed", RowQuery.Kind.BOOL,
                    "original_amount", RowQuery.Kind.NUMBER,
                    "service", RowQuery.Kind.STRING,
                    "extra", RowQuery.Kind.STRING,
                    "failed", RowQuery.Kind.BOOL,
                    "refunded", RowQuery.Kind.BOOL,
                    "balance_before", RowQuery.Kind.NUMBER,
                    "balance_after", RowQuery.Kind.NUMBER,
                    "event_id", RowQuery.Kind.STRING,
                    "cut_amount", RowQuery.Kind.NUMBER,
                    "cut_percent", RowQuery.Kind.NUMBER,
                    "paypal_email", RowQuery.Kind.STRING,
                    "transfer_group", RowQuery.Kind.STRING,
                    "is_check", RowQuery.Kind.BOOL),
            "invalid_request",
            "Error in search invoices query: ");
    /** The ledger kinds an invoice search shows: payments, not the meter's charges or a host's earnings. */
    static final Set<String> PAYMENT_KINDS = Set.of("deposit", "transfer", "refund", "reserved");

    private static final int MAX_LIMIT = 1000;

    private final AccountPagesService pages;

    public AccountPagesEndpoint(AccountPagesService pages) {
        this.pages = pages;
    }

    public void register(Router r) {
        r.get("/api/v0/users/{user}/ipaddrs", Access.USER_READ, "api.user.ipaddrs", (ctx, caller) -> {
            self(ctx, caller);
            List<Map<String, Object>> rows = new ArrayList<>();
            long n = 0;
            for (AuditRepo.Address a : pages.addresses(caller)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", ++n);
                row.put("user_id", caller.userId());
                row.put("ip", a.ip());
                row.put("ip_address", a.ip());
                row.put("first_seen", seconds(a.firstSeen()));
                row.put("last_seen", seconds(a.lastSeen()));
                row.put("timestamp", a.firstSeen().toString());
                // no geolocation database on a self-hosted server: vastai prints "-" for it
                row.put("first_location", null);
                row.put("calls", a.calls());
                rows.add(row);
            }
            Map<String, Object> out = Json.success();
            out.put("results", rows);
            Json.ok(ctx, out);
        });
        r.get("/api/v0/benchmarks", Access.MISC, "api.benchmarks.search", (ctx, caller) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (AccountPagesService.Benchmark b : pages.benchmarks()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("id", b.id());
                row.put("contract_id", null);
                row.put("image", null);
                row.put("last_update", b.lastUpdate() == null ? null : seconds(b.lastUpdate()));
                row.put("machine_id", b.machine().id());
                row.put("model", b.machine().spec().gpuName());
                row.put("name", b.name());
                row.put("num_gpus", b.machine().spec().numGpus());
                row.put("score", b.score());
                row.put("gpu_name", b.machine().spec().gpuName());
                row.put("type", b.name());
                row.put("value", b.score());
                row.put("launch_args", null);
                row.put("template_hash", null);
                row.put("template_id", null);
                rows.add(row);
            }
            Json.ok(ctx, query(ctx, BENCHMARKS, rows, "id"));
        });
        r.get("/api/v0/invoices", Access.BILLING_READ, "api.invoices.search", (ctx, caller) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (LedgerEntry e : pages.payments(caller, PAYMENT_KINDS)) rows.add(invoice(e));
            Json.ok(ctx, query(ctx, INVOICES, rows, "id"));
        });
    }

    /** A payment record in Vast's invoice row (dollars; amount_cents rounded to the cent). */
    private static Map<String, Object> invoice(LedgerEntry e) {
        Map<String, Object> row = new LinkedHashMap<>();
        double when = seconds(e.createdAt());
        row.put("id", e.id());
        row.put("user_id", e.userId());
        row.put("when", when);
        row.put("paid_on", when);
        row.put("payment_expected", null);
        row.put("amount_cents", Math.round(e.amount() / 10_000.0));
        row.put("amount", Money.toDollars(e.amount()));
        row.put("is_credit", e.amount() > 0);
        row.put("is_delayed", false);
        row.put("original_amount", Money.toDollars(e.amount()));
        row.put("service", service(e));
        row.put("extra", e.memo());
        row.put("failed", false);
        row.put("refunded", false);
        // no card processor, cut or check behind a self-hosted ledger entry
        for (String none : List.of(
                "balance_before",
                "balance_after",
                "event_id",
                "cut_amount",
                "cut_percent",
                "stripe_charge",
                "stripe_refund",
                "stripe_payout",
                "error",
                "paypal_email",
                "transfer_group")) row.put(none, null);
        row.put("is_check", false);
        return row;
    }

    private static String service(LedgerEntry e) {
        return switch (e.kind()) {
            case "deposit" -> "manual";
            case "reserved" -> "instance_prepay";
            default -> e.kind();
        };
    }

    /** select_filters / order_by / limit over the rendered rows ({@link RowQuery}); the tiebreak is ascending. */
    private static List<Map<String, Object>> query(
            Context ctx, RowQuery.Schema schema, List<Map<String, Object>> rows, String tiebreak) {
        Map<String, Object> filters = jsonParam(ctx, "select_filters", new TypeReference<Map<String, Object>>() {});
        List<RowQuery.Filter> parsed = schema.filters(filters, column -> {
            RowQuery.Kind k = schema.kind(column);
            if (k == null)
                throw schema.refusal("unknown column '" + column + "'; the columns are "
                        + String.join(", ", schema.columns().keySet()));
            return k;
        });
        List<RowQuery.Order> order = new ArrayList<>();
        List<Object> orderBy = jsonParam(ctx, "order_by", new TypeReference<List<Object>>() {});
        if (orderBy != null) {
            for (Object o : orderBy) {
                if (!(o instanceof Map<?, ?> m) || !(m.get("col") instanceof String col) || schema.kind(col) == null)
                    throw schema.refusal("order_by takes [{\"col\": column, \"dir\": \"asc\"|\"desc\"}], got " + o);
                order.add(new RowQuery.Order(col, "desc".equalsIgnoreCase(String.valueOf(m.get("dir")))));
            }
        }
        order.add(new RowQuery.Order(tiebreak, false));
        List<Map<String, Object>> out = new RowQuery(schema, parsed, order).apply(rows);
        String limit = ctx.queryParam("limit");
        if (limit != null && !limit.isBlank()) {
            int n;
            try {
                n = Integer.parseInt(limit.strip());
            } catch (NumberFormatException e) {
                throw schema.refusal("limit must be a whole number, got '" + limit + "'");
            }
            if (n < 0 || n > MAX_LIMIT) throw schema.refusal("limit must be between 0 and " + MAX_LIMIT);
            if (out.size() > n) out = out.subList(0, n);
        }
        return out;
    }

    private static <T> T jsonParam(Context ctx, String name, TypeReference<T> type) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return null;
        try {
            return Json.read(raw, type, "query parameter " + name);
        } catch (IOException e) {
            throw new DomainException.BadRequest(
                    "invalid_request",
                    "Error in query parameters: " + name + " is not valid JSON of the expected shape");
        }
    }

    /** "me", or the caller's own id: another account answers like a missing one. */
    private static void self(Context ctx, Principal caller) {
        String user = ctx.pathParam("user");
        if (!user.equals("me") && !user.equals(String.valueOf(caller.userId())))
            throw new DomainException.NotFound("no_such_user", "No such user: " + user);
    }

    private static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    private static Map<String, RowQuery.Kind> columns(Object... pairs) {
        Map<String, RowQuery.Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) m.put((String) pairs[i], (RowQuery.Kind) pairs[i + 1]);
        return m;
    }
}
