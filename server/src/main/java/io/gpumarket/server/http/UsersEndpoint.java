package io.gpumarket.server.http;

import io.gpumarket.server.service.AccountService;

/** {@code GET /api/v0/users/current/}: who the key belongs to, and their credit. */
public final class UsersEndpoint {
    private final AccountService accounts;

    public UsersEndpoint(AccountService accounts) {
        this.accounts = accounts;
    }

    public void register(Router r) {
        r.get("/api/v0/users/current", Access.USER_READ, (ctx, caller) ->
                Json.ok(ctx, UserViews.current(caller.user(), caller.keyId(), accounts.balance(caller.userId()))));
    }
}
