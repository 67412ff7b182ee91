package io.gpumarket.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.Wire;
import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.permission.PermissionDocument;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the key a request carries into a {@link Principal}. Keys come as {@code Authorization: Bearer KEY} or,
 * for older Vast clients, as the {@code ?api_key=KEY} query parameter. Missing → 403 as Vast answers it;
 * unknown, deleted or expired → 401, all in the Vast error body. Agents authenticate with their machine token
 * instead ({@link #machine}); the two kinds of secret live in different tables, so neither opens the other's routes.
 */
public final class Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(Authenticator.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final Store store;
    private final ApiKeyCache keys;
    private final Clock clock;
    private final MachineTokens machineTokens;

    public Authenticator(Store store, ApiKeyCache keys, Clock clock, MachineTokens machineTokens) {
        this.store = store;
        this.keys = keys;
        this.clock = clock;
        this.machineTokens = machineTokens;
    }

    /** The key or token a request carries: the Authorization header's, else the api_key parameter's (may be null). */
    public static Optional<String> credential(String authorization, String queryKey) {
        return bearer(authorization)
                .or(() -> Optional.ofNullable(queryKey).map(String::trim).filter(s -> !s.isEmpty()));
    }

    /** @param authorization the Authorization header (may be null); @param queryKey the api_key parameter (may be null) */
    public Principal authenticate(String authorization, String queryKey) {
        String secret = credential(authorization, queryKey)
                .orElseThrow(() -> new DomainException.Forbidden("auth_error", "This action requires login."));
        ApiKeyCache.Entry found = keys.find(Secrets.hash(secret)).orElseThrow(Authenticator::invalid);
        ApiKey key = found.key();
        if (key.deletedAt() != null) throw invalid();
        if (!key.usableAt(clock.instant())) {
            throw new DomainException.Unauthorized(
                    "auth_error", "API key " + key.id() + " expired at " + key.expiresAt());
        }
        return new Principal(found.user(), key.id(), permissions(key), found.member());
    }

    /** The machine whose agent sends this token ({@code Authorization: Bearer <machine token>}); cached ({@link MachineTokens}). */
    public Machine machine(String authorization) {
        String token = bearer(authorization)
                .orElseThrow(() -> new DomainException.Forbidden(
                        "auth_error", "Agent routes require the machine token as Authorization: Bearer."));
        return machineTokens
                .find(Secrets.hash(token))
                .orElseThrow(() -> new DomainException.Unauthorized("auth_error", "Invalid machine token"));
    }

    /** A document that does not parse grants nothing: a scoped key fails closed. */
    public static PermissionDocument permissions(ApiKey key) {
        if (key.permissions() == null) return null;
        return document(key.permissions(), "API key " + key.id());
    }

    /** A stored document (a key's or a team role's); one that does not parse grants nothing. */
    static PermissionDocument document(String json, String whose) {
        try {
            Map<String, Object> tree = Wire.mapper().readValue(json, MAP);
            return new PermissionDocument(tree == null ? Map.of() : tree);
        } catch (JsonProcessingException e) {
            LOG.warn("{} has a malformed permission document; it is refused everything", whose);
            return new PermissionDocument(Map.of());
        }
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
