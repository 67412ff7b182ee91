package io.gpumarket.core.team;

import java.time.Instant;

/**
 * A team: an account of its own ({@code id} is its account's id, which holds its credit, instances, keys and
 * templates), with a name and the person who owns it (docs/teams.md).
 */
public record Team(long id, String name, long ownerId, Instant createdAt) {}
