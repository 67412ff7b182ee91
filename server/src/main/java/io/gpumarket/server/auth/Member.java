package io.gpumarket.server.auth;

import io.gpumarket.core.permission.PermissionDocument;

/**
 * The person behind a team key and the role they hold in the team, as read (and cached) with the key.
 *
 * @param userId the member's own account
 * @param rights the role's permission document
 */
public record Member(long userId, String email, long roleId, String role, PermissionDocument rights) {}
