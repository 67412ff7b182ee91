package io.gpumarket.store;

import io.gpumarket.core.account.ApiKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API keys, stored as the SHA-256 of their secret. Deleting is soft: the row stays and stops authenticating. */
public interface ApiKeyRepo {
    /**
     * Stores a new key.
     *
     * @param permissions JSON permission document of a scoped key; null for full access
     * @param expiresAt   null for a key that never expires
     * @throws DuplicateException when a key with this secret hash exists
     */
    ApiKey create(long userId, String name, String secretHash, String permissions, Instant expiresAt, Instant now);

    /**
     * Stores a new team key: a key of the team's account {@code teamId} used by the member {@code memberId}.
     *
     * @throws DuplicateException when a key with this secret hash exists
     */
    ApiKey createForMember(
            long teamId,
            long memberId,
            String name,
            String secretHash,
            String permissions,
            Instant expiresAt,
            Instant now);

    /** Soft-deletes the member's live keys of the team's account; answers their ids. */
    List<Long> deleteMemberKeys(long teamId, long memberId, Instant now);

    /** Soft-deletes every live key of the account; answers their ids. */
    List<Long> deleteAll(long userId, Instant now);

    /** The key with this hash, deleted or not; callers check {@link ApiKey#usableAt}. */
    Optional<ApiKey> findByHash(String secretHash);

    /** The user's live key with this id. */
    Optional<ApiKey> find(long userId, long keyId);

    /** Live (not deleted) keys of the user, oldest first. */
    List<ApiKey> byUser(long userId);

    /** Soft-deletes the user's key; false when the user has no live key with this id. */
    boolean delete(long userId, long keyId, Instant now);
}
