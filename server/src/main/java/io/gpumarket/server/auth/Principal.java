package io.gpumarket.server.auth;

import io.gpumarket.core.account.User;

/** Who is calling: the account and the key they used (scoped keys carry their permission document). */
public record Principal(User user, long keyId, String permissions) {
    public long userId() {
        return user.id();
    }

    public boolean admin() {
        return user.admin();
    }
}
