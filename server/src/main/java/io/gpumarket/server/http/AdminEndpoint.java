package io.gpumarket.server.http;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.MachineService;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Our operator API under {@code /api/v0/admin/} (admin keys only): accounts with keys, credit, and machine
 * verification. {@code gpumarket admin …} is its command-line face.
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
            Map<String, Object> body = Json.bodyMap(ctx);
            var created = accounts.createUser(Params.string(body, "email"), Params.string(body, "username"),
                    Params.bool(body, "admin", false));
            Json.ok(ctx, Json.success("user", UserViews.admin(created.user(), 0), "api_key", created.secret()));
        });
        r.get("/api/v0/admin/users", Access.ADMIN, (ctx, caller) -> Json.ok(ctx, Json.success("users",
                accounts.users().stream().map(u -> UserViews.admin(u, accounts.balance(u.id()))).toList())));
        r.post("/api/v0/admin/users/{id}/keys", Access.ADMIN, (ctx, caller) -> {
            var created = accounts.newKey(Params.id(ctx, "id"), Params.string(Json.bodyMap(ctx), "name"));
            Json.ok(ctx, Json.success("key_id", created.key().id(), "api_key", created.secret()));
        });
        r.put("/api/v0/admin/users/{id}/credit", Access.ADMIN, (ctx, caller) -> {
            long userId = Params.id(ctx, "id");
            Map<String, Object> body = Json.bodyMap(ctx);
            entered(ctx, userId, accounts.deposit(userId, amount(body), Params.string(body, "memo"),
                    ctx.header("Idempotency-Key")));
        });
        r.put("/api/v0/admin/users/{id}/refund", Access.ADMIN, (ctx, caller) -> {
            long userId = Params.id(ctx, "id");
            Map<String, Object> body = Json.bodyMap(ctx);
            entered(ctx, userId, accounts.refund(userId, amount(body), Params.string(body, "reason"),
                    Params.id(body, "instance_id"), ctx.header("Idempotency-Key")));
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

    private static double amount(Map<String, Object> body) {
        Double amount = Params.number(body, "amount");
        if (amount == null) throw new DomainException.BadRequest("invalid_args", "'amount' (dollars) is required");
        return amount;
    }

    /** The answer to an operator's ledger entry: the entry and the balance it left. */
    private void entered(Context ctx, long userId, LedgerEntry entry) {
        Json.ok(ctx, Json.success("entry_id", entry.id(), "amount", Money.toDollars(entry.amount()),
                "credit", Money.toDollars(accounts.balance(userId))));
    }
}
