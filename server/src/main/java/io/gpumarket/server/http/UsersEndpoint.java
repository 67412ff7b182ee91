package io.gpumarket.server.http;

import io.gpumarket.core.account.UserSettings;
import io.gpumarket.server.auth.Authenticator;
import io.gpumarket.server.service.AccountService;
import io.gpumarket.server.service.UserService;

/**
 * {@code GET /api/v0/users/current/}: who the key belongs to, their credit and settings; {@code PUT /api/v0/users/}:
 * the settable fields of docs/vast-compatibility.md §g.4.
 */
public final class UsersEndpoint {
    private final AccountService accounts;
    private final UserService users;

    public UsersEndpoint(AccountService accounts, UserService users) {
        this.accounts = accounts;
        this.users = users;
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
    }
}
