package io.gpumarket.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.account.User;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;
import io.gpumarket.core.permission.PermissionDocument;
import io.gpumarket.core.permission.PermissionValidator;
import io.gpumarket.core.permission.RouteCatalog;
import io.gpumarket.core.team.Team;
import io.gpumarket.core.team.TeamInvitation;
import io.gpumarket.core.team.TeamMember;
import io.gpumarket.core.team.TeamRole;
import io.gpumarket.core.team.TeamRules;
import io.gpumarket.server.auth.ApiKeyCache;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.Repos;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Teams (docs/teams.md). A team is an account of its own, so its instances, keys, templates and credit are the
 * team's; a member acts in it with a team key, authenticated as the team's account with the intersection of their
 * role's document and their key's ({@link Principal#check}). Every change to roles or members drops the team's
 * cached keys after it commits ({@link ApiKeyCache#forgetUser}), so a removed member or a narrowed role takes
 * effect on the next request.
 */
public final class TeamService {
    /** A new team and its owner's team key, shown once. */
    public record Created(Team team, ApiKey key, String secret, long transferred) {}

    /** A redeemed invitation and the new member's team key, shown once. */
    public record Joined(Team team, TeamRole role, ApiKey key, String secret) {}

    /** An invitation and its token, shown once (no mail is sent: the inviter hands the token over). */
    public record Invited(TeamInvitation invitation, String token) {}

    private final Store store;
    private final ApiKeyCache cache;
    private final Clock clock;

    public TeamService(Store store, ApiKeyCache cache, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * Creates a team owned by the caller, with the default roles, and moves {@code transferDollars} of the caller's
     * credit to it (a transfer entry on each side).
     */
    public Created create(Principal caller, String teamName, Double transferDollars) {
        if (caller.member() != null) {
            throw new DomainException.BadRequest(
                    "invalid_request", "You cannot create a team from within another team account.");
        }
        String name = TeamRules.teamName(teamName);
        long amount = transferDollars == null ? 0 : dollars(transferDollars, "transfer_credit");
        Instant now = clock.instant();
        String secret = Secrets.newSecret();
        try {
            return store.inTransaction(tx -> {
                User account = tx.users().create(teamEmail(), name, false, now);
                Team team = tx.teams().create(account.id(), name, caller.userId(), now);
                TeamRole owner = null;
                for (Map.Entry<String, Map<String, Object>> r :
                        TeamRules.defaultRoles().entrySet()) {
                    TeamRole role = tx.teams().addRole(team.id(), r.getKey(), json(r.getValue()), now);
                    if (r.getKey().equals(TeamRules.OWNER)) owner = role;
                }
                tx.teams().addMember(team.id(), caller.userId(), owner.id(), now);
                ApiKey key = tx.apiKeys()
                        .createForMember(
                                team.id(), caller.userId(), "team " + name, Secrets.hash(secret), null, null, now);
                if (amount > 0) move(tx, caller.user(), account, amount, now);
                return new Created(team, key, secret, amount);
            });
        } catch (DuplicateException e) {
            throw new DomainException.BadRequest("team_exists", "Team name already exists: " + name);
        }
    }

    /**
     * Destroys the caller's team: only its owner may, and not while it has instances. Its credit goes back to the
     * owner; its keys, roles, members and invitations are deleted; the account stays for its ledger.
     *
     * @return the dollars returned to the owner, in micro-dollars
     */
    public long destroy(Principal caller) {
        Team team = team(caller);
        if (caller.member().userId() != team.ownerId()) {
            throw new DomainException.Forbidden("not_allowed", "Only the Team's Owner may delete the team");
        }
        int live = store.repos().instances().liveByOwner(team.id()).size();
        if (live > 0) {
            throw new DomainException.Conflict(
                    "team_busy", "The team still has " + live + " instance(s); destroy them first.");
        }
        Instant now = clock.instant();
        long returned = store.inTransaction(tx -> {
            User owner = tx.users()
                    .find(team.ownerId())
                    .orElseThrow(() -> new DomainException.NotFound("not_found", "Team owner not found"));
            tx.ledger().lockBalances(List.of(team.id(), owner.id()));
            long balance = tx.ledger().balance(team.id());
            if (balance > 0) {
                tx.ledger().append(team.id(), "transfer", -balance, "team destroyed: to " + owner.email(), null, now);
                tx.ledger().append(owner.id(), "transfer", balance, "team " + team.name() + " destroyed", null, now);
            }
            tx.apiKeys().deleteAll(team.id(), now);
            tx.teams().delete(team.id());
            return Math.max(balance, 0);
        });
        cache.forgetUser(team.id());
        return returned;
    }

    public List<TeamRole> roles(Principal caller) {
        return store.repos().teams().roles(team(caller).id());
    }

    /** A role by its id (digits) or its name (role names start with a letter). */
    public TeamRole role(Principal caller, String idOrName) {
        return find(store.repos(), team(caller).id(), idOrName);
    }

    public TeamRole createRole(Principal caller, String name, Object permissions, RouteCatalog routes) {
        Team team = team(caller);
        String roleName = TeamRules.roleName(name);
        String doc = document(caller, permissions, routes);
        try {
            return store.repos().teams().addRole(team.id(), roleName, doc, clock.instant());
        } catch (DuplicateException e) {
            throw new DomainException.BadRequest("role_exists", "The team already has a role named " + roleName);
        }
    }

    public TeamRole updateRole(
            Principal caller, String idOrName, String name, Object permissions, RouteCatalog routes) {
        Team team = team(caller);
        TeamRole role = find(store.repos(), team.id(), idOrName);
        if (role.name().equals(TeamRules.OWNER)) {
            throw new DomainException.Forbidden("forbidden", "You cannot change the owner role.");
        }
        if (name == null && permissions == null) {
            throw new DomainException.BadRequest("invalid_args", "Give a new 'name', new 'permissions' or both");
        }
        String newName = name == null ? null : TeamRules.roleName(name);
        if (TeamRules.OWNER.equals(newName)) {
            throw new DomainException.BadRequest("role_exists", "The team already has a role named owner");
        }
        String doc = permissions == null ? null : document(caller, permissions, routes);
        try {
            store.repos().teams().updateRole(team.id(), role.id(), newName, doc);
        } catch (DuplicateException e) {
            throw new DomainException.BadRequest("role_exists", "The team already has a role named " + newName);
        }
        cache.forgetUser(team.id());
        return find(store.repos(), team.id(), Long.toString(role.id()));
    }

    public TeamRole deleteRole(Principal caller, String idOrName) {
        Team team = team(caller);
        TeamRole role = find(store.repos(), team.id(), idOrName);
        if (role.name().equals(TeamRules.OWNER)) {
            throw new DomainException.Forbidden("forbidden", "You cannot delete the owner role.");
        }
        store.inTransaction(tx -> {
            int holders = tx.teams().holders(role.id());
            if (holders > 0) {
                throw new DomainException.Conflict(
                        "role_in_use",
                        holders + " member(s) hold the role " + role.name() + "; give them another role first.");
            }
            tx.teams().deleteRole(team.id(), role.id());
            return null;
        });
        return role;
    }

    /** Invites {@code email} with the role named {@code roleName}; the answer carries the token to hand over. */
    public Invited invite(Principal caller, String email, String roleName) {
        Team team = team(caller);
        if (email == null || !email.strip().matches("^[^@\\s]+@[^@\\s]+$") || email.length() > 254) {
            throw new DomainException.BadRequest("invalid_email", "'email' must look like name@host, got " + email);
        }
        String to = email.strip();
        if (roleName == null || roleName.isBlank()) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'role' is required: the name of one of the team's roles");
        }
        TeamRole role = store.repos()
                .teams()
                .roleNamed(team.id(), roleName.strip())
                .orElseThrow(() -> new DomainException.BadRequest(
                        "invalid_role", "The team has no role named '" + roleName.strip() + "'"));
        if (role.name().equals(TeamRules.OWNER) && caller.member().userId() != team.ownerId()) {
            throw new DomainException.Forbidden("not_allowed", "Only the Team's Owner may invite to the owner role");
        }
        Instant now = clock.instant();
        boolean member = store.repos().teams().members(team.id()).stream()
                .anyMatch(m -> m.email().equalsIgnoreCase(to));
        if (member) throw new DomainException.BadRequest("already_member", "User is already a member of this team.");
        Optional<TeamInvitation> last = store.repos().teams().lastInvitation(team.id(), to);
        if (last.isPresent()
                && last.get().openAt(now)
                && last.get().createdAt().plus(TeamRules.INVITATION_RESEND).isAfter(now)) {
            long ago = Duration.between(last.get().createdAt(), now).toSeconds();
            throw new DomainException.Conflict(
                    "invitation_pending", "Error: invitation already sent to " + to + " only " + ago + " seconds ago.");
        }
        String token = Secrets.newSecret();
        TeamInvitation invitation = store.repos()
                .teams()
                .invite(
                        team.id(),
                        to,
                        role.id(),
                        Secrets.hash(token),
                        caller.member().userId(),
                        now,
                        now.plus(TeamRules.INVITATION_LIFETIME));
        return new Invited(invitation, token);
    }

    /**
     * Redeems an invitation with the invitee's own key: the caller joins the team with the invited role and gets a
     * team key. An unknown, used, expired or someone else's token all answer alike.
     */
    public Joined accept(Principal caller, String token) {
        if (caller.member() != null) {
            throw new DomainException.BadRequest(
                    "invalid_request", "Redeem an invitation with a key of your own account, not a team key.");
        }
        Instant now = clock.instant();
        DomainException none = new DomainException.NotFound(
                "no_such_invitation",
                "No open invitation with this token for " + caller.user().email());
        TeamInvitation inv = store.repos()
                .teams()
                .invitationByHash(Secrets.hash(token == null ? "" : token.strip()))
                .filter(i -> i.openAt(now)
                        && i.email().equalsIgnoreCase(caller.user().email()))
                .orElseThrow(() -> none);
        String secret = Secrets.newSecret();
        Joined joined = store.inTransaction(tx -> {
            Team team = tx.teams().find(inv.teamId()).orElseThrow(() -> none);
            TeamRole role = tx.teams().role(team.id(), inv.roleId()).orElseThrow(() -> none);
            if (!tx.teams().accept(inv.id(), caller.userId(), now)) throw none;
            tx.teams().addMember(team.id(), caller.userId(), role.id(), now);
            ApiKey key = tx.apiKeys()
                    .createForMember(
                            team.id(), caller.userId(), "team " + team.name(), Secrets.hash(secret), null, null, now);
            return new Joined(team, role, key, secret);
        });
        cache.forgetUser(joined.team().id());
        return joined;
    }

    public List<TeamMember> members(Principal caller) {
        return store.repos().teams().members(team(caller).id());
    }

    /** Removes a member and deletes their team keys; their next request with any of them is refused. */
    public void removeMember(Principal caller, long userId) {
        Team team = team(caller);
        if (userId == team.ownerId()) {
            throw new DomainException.BadRequest("invalid_request", "Cannot remove the team owner from the team");
        }
        Instant now = clock.instant();
        store.inTransaction(tx -> {
            if (!tx.teams().removeMember(team.id(), userId)) {
                throw new DomainException.NotFound("no_such_member", "No member " + userId + " in this team");
            }
            tx.apiKeys().deleteMemberKeys(team.id(), userId, now);
            return null;
        });
        cache.forgetUser(team.id());
    }

    /** The teams a person belongs to (for their own key). */
    public List<Team> teamsOf(Principal caller) {
        return store.repos()
                .teams()
                .teamsOf(
                        caller.member() == null
                                ? caller.userId()
                                : caller.member().userId());
    }

    /** The team the caller acts in; 404 as Vast answers for a key that is no team key. */
    public Team team(Principal caller) {
        if (caller.member() == null) {
            throw new DomainException.NotFound("not_found", "User is not a team account: use a team key");
        }
        return store.repos()
                .teams()
                .find(caller.userId())
                .orElseThrow(() -> new DomainException.NotFound("not_found", "Team metadata not found"));
    }

    private static TeamRole find(Repos repos, long teamId, String idOrName) {
        String ref = idOrName == null ? "" : idOrName.strip();
        Optional<TeamRole> role = ref.matches("\\d{1,18}")
                ? repos.teams().role(teamId, Long.parseLong(ref))
                : repos.teams().roleNamed(teamId, ref);
        return role.orElseThrow(() -> new DomainException.NotFound("not_found", "Specified role not found"));
    }

    /** A role's document: checked against the routes as a key's is, and no wider than the caller's own rights. */
    private static String document(Principal caller, Object permissions, RouteCatalog routes) {
        if (permissions == null) {
            throw new DomainException.BadRequest("invalid_args", "Missing permissions parameter");
        }
        Object parsed = permissions;
        if (permissions instanceof String text) {
            try {
                parsed = Wire.mapper().readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                throw new DomainException.BadRequest(
                        "invalid_permissions", "'permissions' is not valid JSON: " + e.getOriginalMessage());
            }
        }
        Map<String, Object> doc = PermissionValidator.validate(parsed, routes);
        Optional<String> excess = ApiKeyService.excess(new PermissionDocument(doc), caller);
        if (excess.isPresent()) {
            throw new DomainException.Forbidden(
                    "not_authorized",
                    "a role cannot grant more than its creator holds; you do not hold " + excess.get());
        }
        return json(doc);
    }

    private static void move(Repos tx, User from, User to, long amount, Instant now) {
        tx.ledger().lockBalances(List.of(from.id(), to.id()));
        long balance = tx.ledger().balance(from.id());
        if (balance < amount) {
            throw new DomainException.BadRequest(
                    "insufficient_balance",
                    String.format(
                            Locale.ROOT,
                            "Insufficient balance: you have $%.2f, the transfer is $%.2f",
                            Money.toDollars(balance),
                            Money.toDollars(amount)));
        }
        tx.ledger().append(from.id(), "transfer", -amount, "transfer to team " + to.username(), null, now);
        tx.ledger().append(to.id(), "transfer", amount, "transfer from " + from.email(), null, now);
    }

    private static long dollars(double dollars, String field) {
        if (!Double.isFinite(dollars) || dollars < 0 || dollars > 1_000_000_000) {
            throw new DomainException.BadRequest(
                    "invalid_args", "'" + field + "' must be a number of dollars, 0 or more, got " + dollars);
        }
        return Money.fromDollars(dollars);
    }

    /** A team's account needs an email of its own; nobody signs in with it. */
    private static String teamEmail() {
        return "team-" + UUID.randomUUID().toString().substring(0, 13) + "@teams.invalid";
    }

    private static String json(Object doc) {
        try {
            return Wire.mapper().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a permission document is not serialisable", e);
        }
    }
}
