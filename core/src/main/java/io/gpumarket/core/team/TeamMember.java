package io.gpumarket.core.team;

import java.time.Instant;

/** A person in a team, with their role (its name and permission document as read together). */
public record TeamMember(
        long teamId,
        long userId,
        String email,
        String username,
        long roleId,
        String roleName,
        String rolePermissions,
        Instant joinedAt) {}
