package io.gpumarket.core.team;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.permission.PermissionDocument;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules of teams that need no I/O: names, the three roles every new team starts with (as Vast's create_team
 * describes them), and how long invitations live.
 */
public final class TeamRules {
    /** The role of the team's creator: everything, and only it may destroy the team. It cannot be changed. */
    public static final String OWNER = "owner";

    public static final String MANAGER = "manager";
    public static final String MEMBER = "member";

    /** An invitation is redeemable this long. */
    public static final Duration INVITATION_LIFETIME = Duration.ofDays(7);

    /** Vast refuses a second invitation to one address this soon (429). */
    public static final Duration INVITATION_RESEND = Duration.ofSeconds(300);

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final Pattern ROLE = Pattern.compile("^[A-Za-z][A-Za-z0-9_.-]{0,63}$");

    private TeamRules() {}

    /** @throws DomainException.BadRequest naming the value when it is not a team name */
    public static String teamName(String name) {
        if (name == null || !NAME.matcher(name.strip()).matches()) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "team_name must be 1-64 letters, digits, '_', '.' or '-', got "
                            + (name == null ? "nothing" : "'" + name + "'"));
        }
        return name.strip();
    }

    /**
     * A role's name: starts with a letter, so a name is never taken for a role's id in {@code /team/roles/{id}/}.
     *
     * @throws DomainException.BadRequest naming the value when it is not one
     */
    public static String roleName(String name) {
        if (name == null || !ROLE.matcher(name.strip()).matches()) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "a role's name must start with a letter and be 1-64 letters, digits, '_', '.' or '-', got "
                            + (name == null ? "nothing" : "'" + name + "'"));
        }
        return name.strip();
    }

    /** The roles a new team starts with, by name, as permission documents. */
    public static Map<String, Map<String, Object>> defaultRoles() {
        Map<String, Map<String, Object>> roles = new LinkedHashMap<>();
        roles.put(OWNER, granting(PermissionDocument.CATEGORIES));
        roles.put(MANAGER, granting(PermissionDocument.CATEGORIES));
        // instances and the account's own keys and templates; no billing, machines or team management
        roles.put(MEMBER, granting(List.of("instance_read", "instance_write", "user_read", "user_write", "misc")));
        return roles;
    }

    /** A document granting these whole categories. */
    public static Map<String, Object> granting(List<String> categories) {
        Map<String, Object> api = new LinkedHashMap<>();
        for (String c : categories) api.put(c, Map.of());
        return Map.of("api", api);
    }
}
