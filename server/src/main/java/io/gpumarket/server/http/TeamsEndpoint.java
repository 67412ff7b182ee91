package io.gpumarket.server.http;

import io.gpumarket.core.money.Money;
import io.gpumarket.core.team.TeamMember;
import io.gpumarket.core.team.TeamRole;
import io.gpumarket.server.service.TeamService;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Teams as vast-cli's {@code vastai/api/teams.py} calls them (docs/teams.md): {@code POST/DELETE /team/}, roles
 * ({@code /team/roles/}, {@code /team/roles-full/}, {@code /team/roles/{id}/} by id or name), invitations
 * ({@code POST /team/invite/?email=&role=}, redeemed by the invitee's own key with {@code GET /team/invite/{token}/},
 * Vast's link route) and members ({@code GET /team/members/}, {@code DELETE /team/members/{id}/}). Every route but
 * creating a team and redeeming an invitation needs a team key; the categories are those of Vast's scopes.
 */
public final class TeamsEndpoint {
    private final TeamService teams;

    public TeamsEndpoint(TeamService teams) {
        this.teams = teams;
    }

    public void register(Router r) {
        r.post("/api/v0/team", Access.USER_WRITE, "api.team.create", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            TeamService.Created c =
                    teams.create(caller, Params.string(b, "team_name"), Params.number(b, "transfer_credit"));
            Map<String, Object> body = Json.success("msg", "Team Successfully Created!");
            body.put("team_id", c.team().id());
            body.put("team_name", c.team().name());
            body.put("key_id", c.key().id());
            body.put("api_key", c.secret());
            body.put("transferred", Money.toDollars(c.transferred()));
            Json.ok(ctx, body);
        });
        r.delete("/api/v0/team", Access.USER_WRITE, "api.team.destroy", (ctx, caller) -> {
            long returned = teams.destroy(caller);
            Map<String, Object> body = Json.success("msg", "Team Successfully Deleted!");
            body.put("returned_credit", Money.toDollars(returned));
            Json.ok(ctx, body);
        });
        r.get(
                "/api/v0/team/roles",
                Access.TEAM_READ,
                "api.team.roles.show",
                (ctx, caller) -> Json.ok(
                        ctx,
                        teams.roles(caller).stream().map(TeamsEndpoint::role).toList()));
        r.get(
                "/api/v0/team/roles-full",
                Access.TEAM_READ,
                "api.team.roles.full",
                (ctx, caller) -> Json.ok(
                        ctx,
                        teams.roles(caller).stream().map(TeamsEndpoint::role).toList()));
        r.post("/api/v0/team/roles", Access.TEAM_WRITE, "api.team.role.create", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            TeamRole role = teams.createRole(caller, Params.string(b, "name"), b.get("permissions"), r.catalog());
            Map<String, Object> body = Json.success("msg", "success");
            body.putAll(role(role));
            Json.ok(ctx, body);
        });
        r.get(
                "/api/v0/team/roles/{id}",
                Access.TEAM_READ,
                "api.team.role.show",
                (ctx, caller) -> Json.ok(ctx, role(teams.role(caller, ctx.pathParam("id")))));
        r.put("/api/v0/team/roles/{id}", Access.TEAM_WRITE, "api.team.role.update", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            TeamRole role = teams.updateRole(
                    caller, ctx.pathParam("id"), Params.string(b, "name"), b.get("permissions"), r.catalog());
            Map<String, Object> body = Json.success("msg", "Successfully Updated Team Role For " + role.name());
            body.putAll(role(role));
            Json.ok(ctx, body);
        });
        r.delete("/api/v0/team/roles/{id}", Access.TEAM_WRITE, "api.team.role.delete", (ctx, caller) -> {
            teams.deleteRole(caller, ctx.pathParam("id"));
            Map<String, Object> body = Json.success("status", "success");
            body.put("message", "Role removed from team");
            Json.ok(ctx, body);
        });
        r.post("/api/v0/team/invite", Access.TEAM_WRITE, "api.team.invite", (ctx, caller) -> {
            // vastai sends email and role as query arguments; Vast's document puts them in the body: both work
            Map<String, Object> b = Json.bodyMap(ctx);
            String email = ctx.queryParam("email") != null ? ctx.queryParam("email") : Params.string(b, "email");
            String role = ctx.queryParam("role") != null ? ctx.queryParam("role") : Params.string(b, "role");
            TeamService.Invited inv = teams.invite(caller, email, role);
            Map<String, Object> body = Json.success(
                    "msg", "New invitation sent to " + inv.invitation().email());
            body.put("invitation_id", inv.invitation().id());
            body.put("token", inv.token());
            body.put("expires_at", inv.invitation().expiresAt().getEpochSecond());
            Json.ok(ctx, body);
        });
        r.get("/api/v0/team/invite/{token}", Access.USER_READ, "api.team.invite.accept", (ctx, caller) -> {
            TeamService.Joined j = teams.accept(caller, ctx.pathParam("token"));
            Map<String, Object> body = Json.success(
                    "msg", "Joined team " + j.team().name() + " as " + j.role().name());
            body.put("team_id", j.team().id());
            body.put("team_name", j.team().name());
            body.put("role", j.role().name());
            body.put("key_id", j.key().id());
            body.put("api_key", j.secret());
            Json.ok(ctx, body);
        });
        r.get(
                "/api/v0/team/members",
                Access.TEAM_READ,
                "api.team.members.show",
                (ctx, caller) -> Json.ok(
                        ctx,
                        teams.members(caller).stream()
                                .map(TeamsEndpoint::member)
                                .toList()));
        r.delete("/api/v0/team/members/{id}", Access.TEAM_WRITE, "api.team.member.remove", (ctx, caller) -> {
            teams.removeMember(caller, Params.id(ctx, "id"));
            Map<String, Object> body = Json.success("status", "success");
            body.put("message", "User removed from the team.");
            Json.ok(ctx, body);
        });
    }

    static Map<String, Object> role(TeamRole r) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("name", r.name());
        v.put("identifier", r.name());
        v.put("permissions", Json.parseObject(r.permissions(), "a role's permissions"));
        return v;
    }

    static Map<String, Object> member(TeamMember m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", m.userId());
        v.put("username", m.username());
        v.put("email", m.email());
        v.put("fullname", null);
        v.put("roles", List.of(m.roleName()));
        v.put("role_id", m.roleId());
        v.put("joined_at", m.joinedAt().toEpochMilli() / 1000.0);
        return v;
    }
}
