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
 */
public final class SearchEndpoint {
    private final SearchService search;

    public SearchEndpoint(SearchService search) {
        this.search = search;
    }

    public void register(Router r) {
        r.post("/api/v0/bundles", Access.MISC, (ctx, caller) ->
                answer(ctx, search.search(Json.bodyMap(ctx), caller), false));
        r.get("/api/v0/bundles", Access.MISC, (ctx, caller) -> {
            String q = ctx.queryParam("q");
            Map<String, Object> dsl = q == null || q.isBlank() ? Json.bodyMap(ctx) : Json.parseObject(q, "query parameter q");
            answer(ctx, search.search(dsl, caller), false);
        });
        r.put("/api/v0/search/asks", Access.MISC, (ctx, caller) -> {
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

    /** {"success": true (asks only), "offers": […], "explain": … (when asked)}, written by {@link SearchPage}. */
    private static void answer(Context ctx, SearchResult result, boolean withSuccess) {
        ctx.status(200);
        ctx.header("Content-Type", Json.CONTENT_TYPE);
        ctx.result(SearchPage.bytes(result, withSuccess));
    }
}
