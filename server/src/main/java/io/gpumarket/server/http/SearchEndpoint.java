package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.search.SearchResult;
import io.gpumarket.server.service.SearchService;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Offer search in the three forms clients use: {@code POST /bundles/} (current CLI, SDK, docs), the legacy
 * {@code GET /bundles/?q=<json>}, and {@code PUT /search/asks/} with {@code {"select_cols": …, "q": …}}.
 * Plus the unauthenticated GPU name list the vastai CLI fetches at start.
 *
 * <p>As on Vast, search needs no key (gpuhunt, so dstack, and SkyPilot's catalog fetcher search anonymously):
 * keyless searches are counted per client IP in the search rate-limit class. A private market turns this off
 * ({@code gpumarket server --search-needs-key}); a request that carries a key is checked as always.
 */
public final class SearchEndpoint {
    private final SearchService search;
    private final boolean anonymous;

    /** @param anonymous whether searches without a key are answered */
    public SearchEndpoint(SearchService search, boolean anonymous) {
        this.search = search;
        this.anonymous = anonymous;
    }

    public void register(Router r) {
        route(r, "POST", "/api/v0/bundles", (ctx, caller) ->
                answer(ctx, search.search(Json.bodyMap(ctx), caller), false));
        route(r, "GET", "/api/v0/bundles", (ctx, caller) -> {
            String q = ctx.queryParam("q");
            Map<String, Object> dsl = q == null || q.isBlank() ? Json.bodyMap(ctx) : Json.parseObject(q, "query parameter q");
            answer(ctx, search.search(dsl, caller), false);
        });
        route(r, "PUT", "/api/v0/search/asks", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            Object q = body.containsKey("q") ? body.get("q") : body;
            if (!(q instanceof Map<?, ?>)) {
                throw new DomainException.BadRequest("invalid_args", "Invalid query: 'q' must be a dict of conditions");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> dsl = (Map<String, Object>) q;
            answer(ctx, search.search(dsl, caller), true);
        });
        r.get("/api/v0/gpu_names/unique", Access.PUBLIC, (ctx, caller) ->
                Json.ok(ctx, Map.of("gpu_names", search.gpuNames())));
    }

    private void route(Router r, String method, String path, Router.Handler h) {
        if (anonymous) {
            r.anonymousOr(method, path, Access.MISC, h);
        } else if (method.equals("POST")) {
            r.post(path, Access.MISC, h);
        } else if (method.equals("GET")) {
            r.get(path, Access.MISC, h);
        } else {
            r.put(path, Access.MISC, h);
        }
    }

    /** {"success": true (asks only), "offers": […], "explain": … (when asked)}, written by {@link SearchPage}. */
    private static void answer(Context ctx, SearchResult result, boolean withSuccess) {
        ctx.status(200);
        ctx.header("Content-Type", Json.CONTENT_TYPE);
        ctx.result(SearchPage.bytes(result, withSuccess));
    }
}
