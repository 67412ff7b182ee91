package io.gpumarket.core.team;

import java.time.Instant;

/**
 * An invitation to a team: redeemed once, before it expires, by the account whose email was invited. Only the
 * SHA-256 of its token is stored.
 */
public record TeamInvitation(
        long id,
        long teamId,
        String email,
        long roleId,
        long invitedBy,
        Instant createdAt,
        Instant expiresAt,
        Instant acceptedAt) {
    public boolean openAt(Instant now) {
        return acceptedAt == null && now.isBefore(expiresAt);
    }
}
