package io.gpumarket.store.jdbc;

import io.gpumarket.core.team.Team;
import io.gpumarket.core.team.TeamInvitation;
import io.gpumarket.core.team.TeamMember;
import io.gpumarket.core.team.TeamRole;
import io.gpumarket.store.TeamRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link TeamRepo} on {@code teams}, {@code team_roles}, {@code team_members} and {@code team_invitations}. */
final class JdbcTeamRepo implements TeamRepo {
    private static final RowMapper<Team> TEAM = (rs, ctx) -> new Team(
            rs.getLong("user_id"), rs.getString("name"), rs.getLong("owner_id"), Columns.instant(rs, "created_at"));
    private static final RowMapper<TeamRole> ROLE = (rs, ctx) -> new TeamRole(
            rs.getLong("id"),
            rs.getLong("team_id"),
            rs.getString("name"),
            rs.getString("permissions"),
            Columns.instant(rs, "created_at"));
    private static final RowMapper<TeamMember> MEMBER = (rs, ctx) -> new TeamMember(
            rs.getLong("team_id"),
            rs.getLong("user_id"),
            rs.getString("email"),
            rs.getString("username"),
            rs.getLong("role_id"),
            rs.getString("role_name"),
            rs.getString("permissions"),
            Columns.instant(rs, "joined_at"));
    private static final RowMapper<TeamInvitation> INVITATION = (rs, ctx) -> new TeamInvitation(
            rs.getLong("id"),
            rs.getLong("team_id"),
            rs.getString("email"),
            rs.getLong("role_id"),
            rs.getLong("invited_by"),
            Columns.instant(rs, "created_at"),
            Columns.instant(rs, "expires_at"),
            Columns.nullableInstant(rs, "accepted_at"));
    private static final String MEMBERS = """
            SELECT m.team_id, m.user_id, u.email, u.username, m.role_id, r.name AS role_name, r.permissions, m.joined_at
            FROM team_members m JOIN team_roles r ON r.id = m.role_id JOIN users u ON u.id = m.user_id""";

    private final Session session;

    JdbcTeamRepo(Session session) {
        this.session = session;
    }

    @Override
    public Team create(long teamId, String name, long ownerId, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO teams (user_id, name, owner_id, created_at) VALUES (:team, :name, :owner, :now)
                        RETURNING *""")
                .bind("team", teamId)
                .bind("name", name)
                .bind("owner", ownerId)
                .bind("now", now.toEpochMilli())
                .map(TEAM)
                .one());
    }

    @Override
    public Optional<Team> find(long teamId) {
        return session.read(h -> h.createQuery("SELECT * FROM teams WHERE user_id = :team")
                .bind("team", teamId)
                .map(TEAM)
                .findOne());
    }

    @Override
    public void delete(long teamId) {
        session.write(h -> {
            for (String table : List.of("team_members", "team_invitations", "team_roles")) {
                h.createUpdate("DELETE FROM " + table + " WHERE team_id = :team")
                        .bind("team", teamId)
                        .execute();
            }
            h.createUpdate("DELETE FROM teams WHERE user_id = :team")
                    .bind("team", teamId)
                    .execute();
            return h.createUpdate("UPDATE users SET username = NULL WHERE id = :team")
                    .bind("team", teamId)
                    .execute();
        });
    }

    @Override
    public TeamRole addRole(long teamId, String name, String permissions, Instant now) {
        return session.write(
                h -> h.createQuery("""
                        INSERT INTO team_roles (team_id, name, permissions, created_at)
                        VALUES (:team, :name, :permissions, :now) RETURNING *""")
                        .bind("team", teamId)
                        .bind("name", name)
                        .bind("permissions", permissions)
                        .bind("now", now.toEpochMilli())
                        .map(ROLE)
                        .one(),
                constraint -> "the team already has a role named " + name);
    }

    @Override
    public List<TeamRole> roles(long teamId) {
        return session.read(h -> h.createQuery("SELECT * FROM team_roles WHERE team_id = :team ORDER BY id")
                .bind("team", teamId)
                .map(ROLE)
                .list());
    }

    @Override
    public Optional<TeamRole> role(long teamId, long roleId) {
        return session.read(h -> h.createQuery("SELECT * FROM team_roles WHERE team_id = :team AND id = :id")
                .bind("team", teamId)
                .bind("id", roleId)
                .map(ROLE)
                .findOne());
    }

    @Override
    public Optional<TeamRole> roleNamed(long teamId, String name) {
        return session.read(h -> h.createQuery("SELECT * FROM team_roles WHERE team_id = :team AND name = :name")
                .bind("team", teamId)
                .bind("name", name)
                .map(ROLE)
                .findOne());
    }

    @Override
    public boolean updateRole(long teamId, long roleId, String name, String permissions) {
        return session.write(
                        h -> h.createUpdate("""
                        UPDATE team_roles SET name = COALESCE(:name, name), permissions = COALESCE(:permissions, permissions)
                        WHERE team_id = :team AND id = :id""")
                                .bind("name", name)
                                .bind("permissions", permissions)
                                .bind("team", teamId)
                                .bind("id", roleId)
                                .execute(),
                        constraint -> "the team already has a role named " + name)
                > 0;
    }

    @Override
    public boolean deleteRole(long teamId, long roleId) {
        return session.write(h -> {
                    h.createUpdate("DELETE FROM team_invitations WHERE team_id = :team AND role_id = :id")
                            .bind("team", teamId)
                            .bind("id", roleId)
                            .execute();
                    return h.createUpdate("DELETE FROM team_roles WHERE team_id = :team AND id = :id")
                            .bind("team", teamId)
                            .bind("id", roleId)
                            .execute();
                })
                > 0;
    }

    @Override
    public int holders(long roleId) {
        return session.read(h -> h.createQuery("SELECT COUNT(*) FROM team_members WHERE role_id = :id")
                .bind("id", roleId)
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public void addMember(long teamId, long userId, long roleId, Instant now) {
        session.write(h -> h.createUpdate("""
                        INSERT INTO team_members (team_id, user_id, role_id, joined_at) VALUES (:team, :user, :role, :now)
                        ON CONFLICT (team_id, user_id) DO UPDATE SET role_id = :role""")
                .bind("team", teamId)
                .bind("user", userId)
                .bind("role", roleId)
                .bind("now", now.toEpochMilli())
                .execute());
    }

    @Override
    public List<TeamMember> members(long teamId) {
        return session.read(h -> h.createQuery(MEMBERS + " WHERE m.team_id = :team ORDER BY m.joined_at, m.user_id")
                .bind("team", teamId)
                .map(MEMBER)
                .list());
    }

    @Override
    public Optional<TeamMember> member(long teamId, long userId) {
        return session.read(h -> h.createQuery(MEMBERS + " WHERE m.team_id = :team AND m.user_id = :user")
                .bind("team", teamId)
                .bind("user", userId)
                .map(MEMBER)
                .findOne());
    }

    @Override
    public boolean removeMember(long teamId, long userId) {
        return session.write(h -> h.createUpdate("DELETE FROM team_members WHERE team_id = :team AND user_id = :user")
                        .bind("team", teamId)
                        .bind("user", userId)
                        .execute())
                > 0;
    }

    @Override
    public List<Team> teamsOf(long userId) {
        return session.read(
                h -> h.createQuery("""
                        SELECT t.* FROM teams t JOIN team_members m ON m.team_id = t.user_id
                        WHERE m.user_id = :user ORDER BY t.user_id""").bind("user", userId).map(TEAM).list());
    }

    @Override
    public TeamInvitation invite(
            long teamId, String email, long roleId, String tokenHash, long invitedBy, Instant now, Instant expiresAt) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO team_invitations (team_id, email, role_id, token_hash, invited_by, created_at, expires_at)
                        VALUES (:team, :email, :role, :hash, :by, :now, :expires) RETURNING *""")
                .bind("team", teamId)
                .bind("email", email)
                .bind("role", roleId)
                .bind("hash", tokenHash)
                .bind("by", invitedBy)
                .bind("now", now.toEpochMilli())
                .bind("expires", expiresAt.toEpochMilli())
                .map(INVITATION)
                .one());
    }

    @Override
    public Optional<TeamInvitation> lastInvitation(long teamId, String email) {
        return session.read(h -> h.createQuery("""
                        SELECT * FROM team_invitations WHERE team_id = :team AND lower(email) = lower(:email)
                        ORDER BY id DESC LIMIT 1""")
                .bind("team", teamId)
                .bind("email", email)
                .map(INVITATION)
                .findOne());
    }

    @Override
    public Optional<TeamInvitation> invitationByHash(String tokenHash) {
        return session.read(h -> h.createQuery("SELECT * FROM team_invitations WHERE token_hash = :hash")
                .bind("hash", tokenHash)
                .map(INVITATION)
                .findOne());
    }

    @Override
    public boolean accept(long invitationId, long userId, Instant now) {
        return session.write(h -> h.createUpdate("""
                                UPDATE team_invitations SET accepted_at = :now, accepted_by = :user
                                WHERE id = :id AND accepted_at IS NULL""")
                        .bind("now", now.toEpochMilli())
                        .bind("user", userId)
                        .bind("id", invitationId)
                        .execute())
                > 0;
    }
}
