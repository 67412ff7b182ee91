package io.gpumarket.core.account;

import java.time.Instant;

/**
 * An API key as stored: only the SHA-256 of the secret is kept, the secret itself is shown once at creation.
 *
 * @param permissions the permission document (JSON text) of a scoped key; null for a full-access key
 * @param expiresAt   null when the key does not expire
 * @param deletedAt   null while the key is live; deleted keys are kept (soft delete) but never authenticate
 * @param memberId    for a team key (a key of a team's account used by one member, docs/teams.md): the member's own
 *                    account id; null for every other key
 */
public record ApiKey(
        long id,
        long userId,
        String name,
        String secretHash,
        String permissions,
        Instant createdAt,
        Instant expiresAt,
        Instant deletedAt,
        Long memberId) {
    /** A key that is not a team key. */
    public ApiKey(
            long id,
            long userId,
            String name,
            String secretHash,
            String permissions,
            Instant createdAt,
            Instant expiresAt,
            Instant deletedAt) {
        this(id, userId, name, secretHash, permissions, createdAt, expiresAt, deletedAt, null);
    }

    public boolean usableAt(Instant now) {
        return deletedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }
}
