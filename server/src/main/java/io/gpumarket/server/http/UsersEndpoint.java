package io.gpumarket.server.http;

import io.gpumarket.core.account.UserSettings;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.auth.Authenticator;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.SubaccountService;
import io.gpumarket.server.service.UserService;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/v0/users/current/}: who the key belongs to, their credit and settings; {@code PUT /api/v0/users/}:
 * the settable fields of docs/vast-compatibility.md §g.4; {@code POST /api/v0/users/} with {@code parent_id: "me"} and
 * {@code GET /api/v0/subaccounts}: subaccounts (docs/teams.md).
 */
public final class UsersEndpoint {
    private final AccountService accounts;
    private final UserService users;
    private final SubaccountService subaccounts;

    public UsersEndpoint(AccountService accounts, UserService users, SubaccountService subaccounts) {
        this.accounts = accounts;
        this.users = users;
        this.subaccounts = subaccounts;
    }

    public void register(Router r) {
        r.get(
                "/api/v0/users/current",
                Access.USER_READ,
                (ctx, caller) -> Json.ok(
                        ctx,
                        UserViews.current(
                                caller.user(),
                                caller.keyId(),
                                Authenticator.credential(ctx.header("Authorization"), ctx.queryParam("api_key"))
                                        .orElse(null),
                                accounts.balance(caller.userId()),
                                users.settings(caller.userId()))));
        r.put("/api/v0/users", Access.USER_WRITE, "api.user.update", (ctx, caller) -> {
            users.update(caller, UserSettings.parse(Json.bodyMap(ctx)));
            Json.ok(ctx, Json.success("msg", "User settings updated."));
        });
        r.post("/api/v0/users", Access.USER_WRITE, "api.subaccount.create", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            Object parent = b.get("parent_id");
            AccountService.NewAccount a = subaccounts.create(
                    caller,
                    Params.string(b, "email"),
                    Params.string(b, "username"),
                    Params.string(b, "password"),
                    parent == null ? null : String.valueOf(parent));
            Map<String, Object> body = Json.success();
            body.put("id", a.user().id());
            body.put("username", a.user().username());
            body.put("email", a.user().email());
            body.put("parent_id", caller.userId());
            body.put("key_id", a.key().id());
            body.put("api_key", a.secret());
            Json.ok(ctx, body);
        });
        r.get("/api/v0/subaccounts", Access.USER_READ, "api.subaccounts.show", (ctx, caller) -> {
            var rows = subaccounts.list(caller).stream()
                    .map(UsersEndpoint::subaccount)
                    .toList();
            Json.ok(ctx, Json.success("users", rows));
        });
    }

    static Map<String, Object> subaccount(SubaccountService.Usage u) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", u.user().id());
        v.put("parent_id", u.parentId());
        v.put("email", u.user().email());
        v.put("username", u.user().username());
        v.put("created_at", u.user().createdAt().toEpochMilli() / 1000.0);
        v.put("deleted_at", null);
        v.put("balance", Money.toDollars(u.balance()));
        v.put("credit", Money.toDollars(u.balance()));
        v.put("total_charged", Money.toDollars(u.charged()));
        v.put("live_instances", u.liveInstances());
        return v;
    }
}
