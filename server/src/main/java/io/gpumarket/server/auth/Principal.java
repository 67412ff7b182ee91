package io.gpumarket.server.auth;

import io.gpumarket.core.account.User;
import io.gpumarket.core.permission.PermissionDocument;

/**
 * Who is calling: the account and the key they used.
 *
 * @param permissions the permission document of a scoped key (an instance's own key, for one); null for a
 *                    full-access key
 */
public record Principal(User user, long keyId, PermissionDocument permissions) {
    public long userId() {
        return user.id();
    }

    public boolean admin() {
        return user.admin();
    }

    public boolean scoped() {
        return permissions != null;
    }
}
