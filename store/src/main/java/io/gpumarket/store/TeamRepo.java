package io.gpumarket.store;

import io.gpumarket.core.team.Team;
import io.gpumarket.core.team.TeamInvitation;
import io.gpumarket.core.team.TeamMember;
import io.gpumarket.core.team.TeamRole;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Teams, their roles, members and invitations (docs/teams.md). A team's id is its account's id. */
public interface TeamRepo {
    /** Marks the account {@code teamId} as a team named {@code name}, owned by {@code ownerId}. */
    Team create(long teamId, String name, long ownerId, Instant now);

    Optional<Team> find(long teamId);

    /**
     * Removes the team's members, invitations, roles and the team itself (its account stays, for its ledger), and
     * frees its name.
     */
    void delete(long teamId);

    /**
     * @throws DuplicateException when the team has a role of this name
     */
    TeamRole addRole(long teamId, String name, String permissions, Instant now);

    /** The team's roles, oldest first. */
    List<TeamRole> roles(long teamId);

    Optional<TeamRole> role(long teamId, long roleId);

    Optional<TeamRole> roleNamed(long teamId, String name);

    /**
     * Renames and/or re-scopes a role (null leaves a field as it is); false when the team has no such role.
     *
     * @throws DuplicateException when another role of the team has the new name
     */
    boolean updateRole(long teamId, long roleId, String name, String permissions);

    /** Deletes a role no member holds; false when there is no such role. */
    boolean deleteRole(long teamId, long roleId);

    /** How many members hold the role. */
    int holders(long roleId);

    /** Adds a member, or gives an existing member this role. */
    void addMember(long teamId, long userId, long roleId, Instant now);

    /** The team's members with their roles, in joining order. */
    List<TeamMember> members(long teamId);

    /** One member of the team with their role (what a team key's authentication reads). */
    Optional<TeamMember> member(long teamId, long userId);

    /** False when the user was no member. */
    boolean removeMember(long teamId, long userId);

    /** The teams this person belongs to. */
    List<Team> teamsOf(long userId);

    TeamInvitation invite(
            long teamId, String email, long roleId, String tokenHash, long invitedBy, Instant now, Instant expiresAt);

    /** The latest invitation of this address (any case) to the team, redeemed or not. */
    Optional<TeamInvitation> lastInvitation(long teamId, String email);

    Optional<TeamInvitation> invitationByHash(String tokenHash);

    /** Marks an open invitation redeemed; false when it was redeemed meanwhile. */
    boolean accept(long invitationId, long userId, Instant now);
}
