package io.gpumarket.server.http;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.MachineService;
import io.gpumarket.store.HostAnomaly;
import io.gpumarket.store.SetAside;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Our operator API under {@code /api/v0/admin/} (admin keys only): accounts with keys, credit, machine
 * verification, and what hosts claimed that was not believed (with the contracts the meter set aside). {@code gpumarket admin …} is its command-line face.
 */
public final class AdminEndpoint {
    private final AccountService accounts;
    private final MachineService machines;

    public AdminEndpoint(AccountService accounts, MachineService machines) {
        this.accounts = accounts;
        this.machines = machines;
    }

    public void register(Router r) {
        r.post("/api/v0/admin/users", Access.ADMIN, (ctx, caller) -> {
            NewUserBody body = NewUserBody.from(Json.bodyMap(ctx));
            var created = accounts.createUser(body.email(), body.username(), body.admin());
            Json.ok(ctx, Json.success("user", UserViews.admin(created.user(), 0), "api_key", created.secret()));
        });
        r.get(
                "/api/v0/admin/users",
                Access.ADMIN,
                (ctx, caller) -> Json.ok(
                        ctx,
                        Json.success(
                                "users",
                                accounts.users().stream()
                                        .map(u -> UserViews.admin(u, accounts.balance(u.id())))
                                        .toList())));
        r.post("/api/v0/admin/users/{id}/keys", Access.ADMIN, (ctx, caller) -> {
            var created = accounts.newKey(Params.id(ctx, "id"), Params.string(Json.bodyMap(ctx), "name"));
            Json.ok(ctx, Json.success("key_id", created.key().id(), "api_key", created.secret()));
        });
        r.put("/api/v0/admin/users/{id}/credit", Access.ADMIN, (ctx, caller) -> {
            long userId = Params.id(ctx, "id");
            CreditBody body = CreditBody.from(Json.bodyMap(ctx));
            entered(ctx, userId, accounts.deposit(userId, body.amount(), body.memo(), ctx.header("Idempotency-Key")));
        });
        r.put("/api/v0/admin/users/{id}/refund", Access.ADMIN, (ctx, caller) -> {
            long userId = Params.id(ctx, "id");
            RefundBody body = RefundBody.from(Json.bodyMap(ctx));
            entered(
                    ctx,
                    userId,
                    accounts.refund(
                            userId, body.amount(), body.reason(), body.instanceId(), ctx.header("Idempotency-Key")));
        });
        r.get("/api/v0/admin/anomalies", Access.ADMIN, (ctx, caller) -> {
            String raw = ctx.queryParam("limit");
            int n = 100;
            if (raw != null) {
                if (!raw.strip().matches("\\d{1,4}")
                        || Integer.parseInt(raw.strip()) < 1
                        || Integer.parseInt(raw.strip()) > 1000) {
                    throw new DomainException.BadRequest("invalid_args", "limit must be 1..1000, got '" + raw + "'");
                }
                n = Integer.parseInt(raw.strip());
            }
            Json.ok(ctx, anomalies(machines, n));
        });
        r.put("/api/v0/admin/machines/{id}", Access.ADMIN, (ctx, caller) -> {
            long id = Params.id(ctx, "id");
            Map<String, Object> body = Json.bodyMap(ctx);
            Machine machine = machines.find(id);
            String verification = Params.string(body, "verification");
            if (verification != null) {
                try {
                    machine = machines.setVerification(id, Verification.parse(verification));
                } catch (IllegalArgumentException e) {
                    throw new DomainException.BadRequest("invalid_args", e.getMessage());
                }
            }
            Double reliability = Params.number(body, "reliability");
            if (reliability != null) machine = machines.setReliability(id, reliability);
            Json.ok(ctx, Json.success("machine", MachineViews.of(machine, machines.notes(machine))));
        });
    }

    /** Host reports the server did not believe, and contracts the meter set aside: what the operator reviews. */
    static Map<String, Object> anomalies(MachineService machines, int limit) {
        List<Map<String, Object>> reports = new ArrayList<>();
        for (HostAnomaly a : machines.anomalies(limit)) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", a.id());
            v.put("machine_id", a.machineId());
            v.put("instance_id", a.instanceId());
            v.put("kind", a.kind());
            v.put("first_at", a.firstAt().toEpochMilli() / 1000.0);
            v.put("last_at", a.lastAt().toEpochMilli() / 1000.0);
            v.put("times", a.times());
            v.put("claimed_bytes", a.claimedBytes());
            v.put("billed_bytes", a.billedBytes());
            v.put("detail", a.detail());
            reports.add(v);
        }
        List<Map<String, Object>> aside = new ArrayList<>();
        for (SetAside a : machines.setAside()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("instance_id", a.instanceId());
            v.put("at", a.at().toEpochMilli() / 1000.0);
            v.put("charged_to", a.chargedTo().toEpochMilli() / 1000.0);
            v.put("reason", a.reason());
            aside.add(v);
        }
        return Json.success("host_reports", reports, "set_aside", aside);
    }

    /** The answer to an operator's ledger entry: the entry and the balance it left. */
    private void entered(Context ctx, long userId, LedgerEntry entry) {
        Json.ok(
                ctx,
                Json.success(
                        "entry_id",
                        entry.id(),
                        "amount",
                        Money.toDollars(entry.amount()),
                        "credit",
                        Money.toDollars(accounts.balance(userId))));
    }
}
