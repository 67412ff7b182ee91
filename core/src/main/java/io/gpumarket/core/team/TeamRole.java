package io.gpumarket.core.team;

import java.time.Instant;

/**
 * A role of a team. Its permissions are a permission document (JSON text), the same kind a scoped API key carries,
 * checked by the same {@link io.gpumarket.core.permission.PermissionDocument}.
 */
public record TeamRole(long id, long teamId, String name, String permissions, Instant createdAt) {}
