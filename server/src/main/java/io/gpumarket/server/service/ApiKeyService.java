package io.gpumarket.server.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.Wire;
import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.account.KeyExpiry;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.permission.PermissionDocument;
import io.gpumarket.core.permission.PermissionSubset;
import io.gpumarket.core.permission.PermissionValidator;
import io.gpumarket.core.permission.RouteCatalog;
import io.gpumarket.server.auth.ApiKeyCache;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Scoped API keys (docs/vast-compatibility.md §g.3): created with a permission document that is checked against the routes that exist,
 * and never granting more than the calling key holds (routes, constraints, and time: see {@link KeyExpiry}).
 * Only the SHA-256 of a key is stored; the secret is answered once. Deleting is soft and takes effect on the next
 * request: the authenticator's cache of keys ({@link ApiKeyCache}) forgets the key once the deletion commits. A scoped caller sees and deletes only keys no broader than
 * itself, so it cannot learn of or revoke the account's full-access keys.
 */
public final class ApiKeyService {
    public static final int MAX_NAME = 255;
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** A new key and its secret, shown this once. */
    public record Created(ApiKey key, String secret) {}

    private final Store store;
    private final ApiKeyCache cache;
    private final Clock clock;

    public ApiKeyService(Store store, ApiKeyCache cache, Clock clock) {
        this.store = store;
        this.cache = cache;
        this.clock = clock;
    }

    /**
     * @param permissions the document, as a JSON object (or its text)
     * @param expiresAt   epoch seconds; null for none
     * @param ttlSeconds  seconds from now; null for none
     */
    public Created create(
            Principal caller,
            String name,
            Object permissions,
            Double expiresAt,
            Double ttlSeconds,
            RouteCatalog routes) {
        if (name != null && name.length() > MAX_NAME) {
            throw new DomainException.BadRequest("invalid_args", "'name' is longer than " + MAX_NAME + " characters");
        }
        Map<String, Object> doc =
                PermissionValidator.validate(permissions instanceof String text ? parse(text) : permissions, routes);
        Optional<String> excess = excess(new PermissionDocument(doc), caller);
        if (excess.isPresent()) {
            throw new DomainException.Forbidden(
                    "not_authorized",
                    "a key cannot grant more than the key creating it " + "holds; this one does not hold "
                            + excess.get());
        }
        Instant now = clock.instant();
        Instant callerExpiry = store.repos()
                .apiKeys()
                .find(caller.userId(), caller.keyId())
                .map(ApiKey::expiresAt)
                .orElse(null);
        Instant expiry = KeyExpiry.resolve(expiresAt, ttlSeconds, callerExpiry, now);
        String secret = Secrets.newSecret();
        String keyName = name == null ? "" : name.strip();
        // a member's new key is a team key of theirs: it stops with their membership, and carries their role
        ApiKey key = caller.member() == null
                ? store.repos().apiKeys().create(caller.userId(), keyName, Secrets.hash(secret), json(doc), expiry, now)
                : store.repos()
                        .apiKeys()
                        .createForMember(
                                caller.userId(),
                                caller.member().userId(),
                                keyName,
                                Secrets.hash(secret),
                                json(doc),
                                expiry,
                                now);
        return new Created(key, secret);
    }

    /** The caller's live keys (instance keys included) that it may see. */
    public List<ApiKey> list(Principal caller) {
        return store.repos().apiKeys().byUser(caller.userId()).stream()
                .filter(k -> within(k, caller))
                .toList();
    }

    public ApiKey show(Principal caller, long id) {
        return store.repos()
                .apiKeys()
                .find(caller.userId(), id)
                .filter(k -> within(k, caller))
                .orElseThrow(() -> notFound(id));
    }

    public void delete(Principal caller, long id) {
        ApiKey k = show(caller, id);
        if (!store.repos().apiKeys().delete(caller.userId(), k.id(), clock.instant())) throw notFound(id);
        cache.forgetKey(k.id());
    }

    /** The stored document of a key; null for a full-access key, an empty (nothing-granting) one when malformed. */
    public static Map<String, Object> document(ApiKey key) {
        if (key.permissions() == null) return null;
        try {
            Map<String, Object> tree = Wire.mapper().readValue(key.permissions(), MAP);
            return tree == null ? Map.of() : tree;
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    /**
     * What {@code wanted} grants beyond what the caller holds: beyond its key's document, and for a team member
     * beyond their role's too (a member cannot mint a key wider than their role).
     */
    public static Optional<String> excess(PermissionDocument wanted, Principal caller) {
        if (caller.member() != null) {
            Optional<String> beyondRole =
                    PermissionSubset.excess(wanted, caller.member().rights());
            if (beyondRole.isPresent()) return beyondRole;
        }
        return PermissionSubset.excess(wanted, caller.permissions());
    }

    /** A member sees only their own team keys; a scoped key only keys no broader than itself. */
    private static boolean within(ApiKey k, Principal caller) {
        if (caller.member() != null && !Long.valueOf(caller.member().userId()).equals(k.memberId())) return false;
        if (caller.permissions() == null) return true;
        Map<String, Object> doc = document(k);
        return doc != null
                && PermissionSubset.excess(new PermissionDocument(doc), caller.permissions())
                        .isEmpty();
    }

    private static Object parse(String text) {
        try {
            return Wire.mapper().readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new DomainException.BadRequest(
                    "invalid_permissions", "'permissions' is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String json(Map<String, Object> doc) {
        try {
            return Wire.mapper().writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a permission document is not serialisable", e);
        }
    }

    private static DomainException notFound(long id) {
        return new DomainException.NotFound("no_such_key", "API Key not found.");
    }
}
