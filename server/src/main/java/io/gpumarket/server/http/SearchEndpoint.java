package io.gpumarket.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.search.OfferQuery;
import io.gpumarket.core.search.SearchResult;
import io.gpumarket.server.service.SearchService;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
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
    /**
     * Parsed queries by body text: clients send the same few bodies over and over (the quickstart, the CLI's
     * defaults), and parsing the JSON and the DSL was a good part of what a search cost beyond the index. A query
     * depends on its text alone (the clock and the caller come in at search time), so a cached one answers exactly as
     * a fresh parse would. Only valid queries are kept (a refused body throws before it is stored), and only short
     * bodies: at most {@value #CACHED_QUERIES} of {@value #MAX_CACHED_BODY} bytes, a few MB at worst.
     */
    static final int CACHED_QUERIES = 1_024;

    static final int MAX_CACHED_BODY = 4_096;

    private final SearchService search;
    private final boolean anonymous;
    private final Cache<String, OfferQuery> queries =
            Caffeine.newBuilder().maximumSize(CACHED_QUERIES).build();
    /** Offers' JSON encoded once per change (SearchPage says how a stale one is never served). */
    private final SearchPage pages = new SearchPage();

    /** @param anonymous whether searches without a key are answered */
    public SearchEndpoint(SearchService search, boolean anonymous) {
        this.search = search;
        this.anonymous = anonymous;
    }

    public void register(Router r) {
        r.route(
                "POST",
                "/api/v0/bundles",
                Access.MISC,
                anonymous,
                (ctx, caller) -> answer(ctx, search.search(bodyQuery(ctx), caller), false));
        r.route("GET", "/api/v0/bundles", Access.MISC, anonymous, (ctx, caller) -> {
            String q = ctx.queryParam("q");
            Map<String, Object> dsl =
                    q == null || q.isBlank() ? Json.bodyMap(ctx) : Json.parseObject(q, "query parameter q");
            answer(ctx, search.search(dsl, caller), false);
        });
        r.route("PUT", "/api/v0/search/asks", Access.MISC, anonymous, (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            Object q = body.containsKey("q") ? body.get("q") : body;
            if (!(q instanceof Map<?, ?>)) {
                throw new DomainException.BadRequest("invalid_args", "Invalid query: 'q' must be a dict of conditions");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> dsl = (Map<String, Object>) q;
            answer(ctx, search.search(dsl, caller), true);
        });
        r.get(
                "/api/v0/gpu_names/unique",
                Access.PUBLIC,
                (ctx, caller) -> Json.ok(ctx, Map.of("gpu_names", search.gpuNames())));
    }

    /** The POST body's query: from the cache when this text was parsed before, else parsed (and kept if short). */
    private OfferQuery bodyQuery(Context ctx) {
        byte[] body = Json.bodyBytes(ctx);
        if (body.length > MAX_CACHED_BODY) return search.parse(Json.bodyMap(ctx));
        // ISO-8859-1 maps each byte to one char: a cheap key that is equal exactly when the bytes are
        String text = new String(body, StandardCharsets.ISO_8859_1);
        OfferQuery cached = queries.getIfPresent(text);
        if (cached != null) return cached;
        OfferQuery parsed = search.parse(Json.bodyMap(ctx));
        queries.put(text, parsed);
        return parsed;
    }

    /** {"success": true (asks only), "offers": […], "explain": … (when asked)}, written by {@link SearchPage}. */
    private void answer(Context ctx, SearchResult result, boolean withSuccess) {
        Json.write(ctx, 200, pages.bytes(result, withSuccess));
    }
}
