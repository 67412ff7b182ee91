package io.gpumarket.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.gpumarket.api.Wire;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.InstanceQuery;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The v1 instance list's {@code next_token} / {@code after_token}: the sort key of a page's last row with the
 * order it belongs to, as URL-safe base64 of JSON. Opaque to clients (the vastai CLI only sends it back); a token
 * made for another {@code order_by}, or not made here at all, is refused with Vast's {@code invalid_token}.
 */
final class PageTokens {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private PageTokens() {}

    static String encode(InstanceQuery query, List<Object> key) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("o", order(query));
        token.put("k", key);
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(Wire.mapper().writeValueAsBytes(token));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a page token is not serialisable", e);
        }
    }

    /** The key to continue after; null for no token (the first page). */
    static List<Object> decode(InstanceQuery query, String token) {
        if (token == null || token.isBlank()) return null;
        try {
            Map<String, Object> t = Json.read(Base64.getUrlDecoder().decode(token.strip()), MAP, "page token");
            if (t != null && order(query).equals(t.get("o")) && t.get("k") instanceof List<?> key) {
                @SuppressWarnings("unchecked")
                List<Object> k = (List<Object>) key;
                return k;
            }
        } catch (IllegalArgumentException | java.io.IOException malformed) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_token",
                "Error in query parameters: after_token is not a token of this list (or of another order_by)");
    }

    private static List<String> order(InstanceQuery query) {
        return query.order().stream()
                .map(o -> o.column() + (o.descending() ? " desc" : " asc"))
                .toList();
    }
}
