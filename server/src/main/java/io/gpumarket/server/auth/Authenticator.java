package io.gpumarket.server.auth;

import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.util.Optional;

/**
 * Turns the key a request carries into a {@link Principal}. Keys come as {@code Authorization: Bearer KEY} or,
 * for older Vast clients, as the {@code ?api_key=KEY} query parameter. Missing → 403 as Vast answers it;
 * unknown, deleted or expired → 401, all in the Vast error body.
 */
public final class Authenticator {
    private final Store store;
    private final Clock clock;

    public Authenticator(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** @param authorization the Authorization header (may be null); @param queryKey the api_key parameter (may be null) */
    public Principal authenticate(String authorization, String queryKey) {
        String secret = bearer(authorization).or(() -> Optional.ofNullable(queryKey).map(String::trim)
                .filter(s -> !s.isEmpty())).orElseThrow(() ->
                new DomainException.Forbidden("auth_error", "This action requires login."));
        ApiKey key = store.repos().apiKeys().findByHash(Secrets.hash(secret))
                .orElseThrow(Authenticator::invalid);
        if (key.deletedAt() != null) throw invalid();
        if (!key.usableAt(clock.instant())) {
            throw new DomainException.Unauthorized("auth_error", "API key " + key.id() + " expired at " + key.expiresAt());
        }
        var user = store.repos().users().find(key.userId()).orElseThrow(Authenticator::invalid);
        return new Principal(user, key.id(), key.permissions());
    }

    private static Optional<String> bearer(String header) {
        if (header == null) return Optional.empty();
        String h = header.trim();
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) h = h.substring(7).trim();
        return h.isEmpty() ? Optional.empty() : Optional.of(h);
    }

    private static DomainException invalid() {
        return new DomainException.Unauthorized("auth_error", "Invalid user key");
    }
}
