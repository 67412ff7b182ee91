package io.gpumarket.store;

import io.gpumarket.core.account.ApiKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface ApiKeyRepo {
    ApiKey create(long userId, String name, String secretHash, String permissions, Instant expiresAt, Instant now);

    /** The key with this hash, deleted or not; callers check {@link ApiKey#usableAt}. */
    Optional<ApiKey> findByHash(String secretHash);

    /** Live (not deleted) keys of the user, oldest first. */
    List<ApiKey> byUser(long userId);

    /** Soft-deletes the user's key; false when the user has no live key with this id. */
    boolean delete(long userId, long keyId, Instant now);
}
