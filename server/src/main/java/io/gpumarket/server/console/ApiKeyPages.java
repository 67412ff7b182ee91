package io.gpumarket.server.console;

import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.permission.PermissionDocument;
import io.gpumarket.core.permission.RouteCatalog;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.service.ApiKeyService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * API keys with their permissions: the list {@code GET /api/v0/auth/apikeys/} answers, creating one as {@code POST}
 * does (the same permission document, validated against the same route catalogue, and never more than the session
 * holds), and deleting. The editor ticks whole categories; a JSON document (routes and constraints) can be written
 * instead, exactly as the API takes it. A new key's secret is shown once.
 */
final class ApiKeyPages {
    private final ApiKeyService keys;
    private final Supplier<RouteCatalog> catalog;

    ApiKeyPages(ApiKeyService keys, Supplier<RouteCatalog> catalog) {
        this.keys = keys;
        this.catalog = catalog;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/api-keys", web.signedIn((ctx, s) -> page(ctx, s, 200, null, null)));
        routes.post("/console/api-keys", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.apikey.create", Map.of());
            Object document = document(ctx);
            Double ttl = null;
            String days = ConsoleWeb.field(ctx, "ttl_days");
            if (days != null) {
                try {
                    ttl = Double.parseDouble(days) * 86_400;
                } catch (NumberFormatException e) {
                    page(ctx, s, 400, "Days until it expires must be a number.", null);
                    return;
                }
            }
            ApiKeyService.Created created;
            try {
                created = keys.create(s.principal(), ConsoleWeb.field(ctx, "name"), document, null, ttl, catalog.get());
            } catch (DomainException.BadRequest | DomainException.Forbidden e) {
                page(ctx, s, e instanceof DomainException.Forbidden ? 403 : 400, e.getMessage(), null);
                return;
            }
            page(ctx, s, 200, null, created);
        }));
        routes.post("/console/api-keys/{id}/delete", web.signedIn((ctx, s) -> {
            String id = ctx.pathParam("id");
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.apikey.delete", Map.of("id", id));
            try {
                keys.delete(s.principal(), Long.parseLong(id));
            } catch (NumberFormatException e) {
                throw new DomainException.NotFound("no_such_key", "No API key '" + id + "'");
            }
            ctx.redirect("/console/api-keys", HttpStatus.SEE_OTHER);
        }));
    }

    /** The JSON document when one was written, else the ticked categories, each whole ({} grants all its routes). */
    private static Object document(Context ctx) {
        String json = ConsoleWeb.field(ctx, "document");
        if (json != null) return json;
        Map<String, Object> api = new LinkedHashMap<>();
        for (String c : ctx.formParams("category")) api.put(c, Map.of());
        return api.isEmpty() ? null : Map.of("api", api);
    }

    private void page(Context ctx, ConsoleSessions.Live s, int status, String error, ApiKeyService.Created created) {
        ConsoleWeb.permit(s, Access.USER_READ, "api.apikey.list", Map.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ApiKey k : keys.list(s.principal())) {
            Map<String, Object> v = new LinkedHashMap<>();
            Map<String, Object> doc = ApiKeyService.document(k);
            v.put("id", k.id());
            v.put("name", k.name());
            v.put("scope", doc == null ? "full access" : scope(doc));
            v.put("expires", k.expiresAt() == null ? "never" : k.expiresAt().toString());
            v.put("current", k.id() == s.principal().keyId());
            rows.add(v);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "API keys", "api-keys"));
        model.put("keys", rows);
        model.put("categories", PermissionDocument.CATEGORIES);
        model.put("error", error);
        model.put("createdSecret", created == null ? null : created.secret());
        model.put("createdId", created == null ? 0L : created.key().id());
        ConsoleWeb.render(ctx, status, "apikeys.jte", model);
    }

    /** "instance_read, user_read (api.instance.show)": the categories, and the routes where only some are granted. */
    private static String scope(Map<String, Object> doc) {
        if (!(doc.get("api") instanceof Map<?, ?> api)) return doc.toString();
        List<String> parts = new ArrayList<>();
        for (Map.Entry<?, ?> c : api.entrySet()) {
            String routes = c.getValue() instanceof Map<?, ?> r && !r.isEmpty()
                    ? " ("
                            + String.join(
                                    ", ",
                                    r.keySet().stream().map(String::valueOf).toList()) + ")"
                    : "";
            parts.add(c.getKey() + routes);
        }
        return String.join(", ", parts);
    }
}
