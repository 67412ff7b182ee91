package io.gpumarket.server.auth;

import io.gpumarket.core.account.User;
import io.gpumarket.core.permission.Decision;
import io.gpumarket.core.permission.PermissionDocument;
import java.util.Map;

/**
 * Who is calling: the account and the key they used. A member using a team key is the team's account here
 * ({@code user}), with {@code member} saying which person and role: such a caller may do what both its role's
 * document and its key's document allow (docs/teams.md).
 *
 * @param permissions the permission document of a scoped key (an instance's own key, for one); null for a
 *                    full-access key
 * @param member      for a team key, the member and their role; null otherwise
 */
public record Principal(User user, long keyId, PermissionDocument permissions, Member member) {
    /** A caller that is no team member. */
    public Principal(User user, long keyId, PermissionDocument permissions) {
        this(user, keyId, permissions, null);
    }

    public long userId() {
        return user.id();
    }

    public boolean admin() {
        return user.admin();
    }

    /** Whether the caller is limited by a document: a scoped key, or any team key (its role is one). */
    public boolean scoped() {
        return permissions != null || member != null;
    }

    /**
     * Whether the caller may use the route {@code name} of {@code category} with these path parameters: the role's
     * document, then the key's, each by {@link PermissionDocument#check}, the one checker of scoped keys.
     */
    public Decision check(String category, String name, Map<String, String> params) {
        if (member != null) {
            Decision byRole = member.rights().check(category, name, params);
            if (!byRole.allowed())
                return Decision.deny(
                        byRole.reason().replaceFirst("^this key", "the team role '" + member.role() + "'"));
        }
        return permissions == null ? Decision.allow() : permissions.check(category, name, params);
    }
}
