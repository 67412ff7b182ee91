package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.search.SearchResult;
import io.gpumarket.server.service.SearchService;
import java.util.LinkedHashMap;
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
                Json.ok(ctx, answer(search.search(Json.bodyMap(ctx), caller), false)));
        r.get("/api/v0/bundles", Access.MISC, (ctx, caller) -> {
            String q = ctx.queryParam("q");
            Map<String, Object> dsl = q == null || q.isBlank() ? Json.bodyMap(ctx) : Json.parseObject(q, "query parameter q");
            Json.ok(ctx, answer(search.search(dsl, caller), false));
        });
        r.put("/api/v0/search/asks", Access.MISC, (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            Object q = body.containsKey("q") ? body.get("q") : body;
            if (!(q instanceof Map<?, ?>)) {
                throw new DomainException.BadRequest("invalid_args", "Invalid query: 'q' must be a dict of conditions");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> dsl = (Map<String, Object>) q;
            Json.ok(ctx, answer(search.search(dsl, caller), true));
        });
        r.get("/api/v0/gpu_names/unique", Access.PUBLIC, (ctx, caller) ->
                Json.ok(ctx, Map.of("gpu_names", search.gpuNames())));
    }

    private static Map<String, Object> answer(SearchResult result, boolean withSuccess) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (withSuccess) body.put("success", true);
        body.put("offers", result.offers());
        if (result.explain() != null) body.put("explain", ExplainView.of(result.explain()));
        return body;
    }
}
