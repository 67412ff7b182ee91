package io.gpumarket.server.http;

import java.util.Map;

/**
 * The body of {@code POST /api/v0/admin/users} (our extension): the account to create. Fields are read with
 * {@link Params}, so a wrong type is refused naming the field, as every other body's.
 */
record NewUserBody(String email, String username, boolean admin) {
    static NewUserBody from(Map<String, Object> body) {
        return new NewUserBody(
                Params.string(body, "email"), Params.string(body, "username"), Params.bool(body, "admin", false));
    }
}
