package io.gpumarket.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.search.OfferIndex;
import io.gpumarket.core.search.OfferQuery;
import io.gpumarket.core.search.SearchContext;
import io.gpumarket.core.search.SearchResult;
import io.gpumarket.server.service.SearchService;
import io.javalin.http.Context;
import java.lang.ref.WeakReference;
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

    /**
     * The largest answer kept with its query (the quickstart's 5 offers are ~12 KB): at most {@value #CACHED_QUERIES}
     * of them, 16 MB at worst.
     */
    static final int MAX_KEPT_ANSWER = 16_384;

    private final SearchService search;
    private final boolean anonymous;
    private final Cache<String, CachedQuery> queries =
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
                (ctx, caller) -> answer(ctx, bodyQuery(ctx), search.moment(caller)));
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
    private CachedQuery bodyQuery(Context ctx) {
        byte[] body = Json.bodyBytes(ctx);
        if (body.length > MAX_CACHED_BODY) return new CachedQuery(search.parse(Json.bodyMap(ctx)));
        // ISO-8859-1 maps each byte to one char: a cheap key that is equal exactly when the bytes are
        String text = new String(body, StandardCharsets.ISO_8859_1);
        CachedQuery cached = queries.getIfPresent(text);
        if (cached != null) return cached;
        CachedQuery parsed = new CachedQuery(search.parse(Json.bodyMap(ctx)));
        queries.put(text, parsed);
        return parsed;
    }

    /**
     * A parsed query and its last answer. An answer is a function of the query, the market snapshot and the
     * caller's context alone ({@link SearchService.Moment}), so when all three are the same as last time (the same
     * snapshot object: the index replaces it on every change; the same second; the same rented machines), the last
     * answer's bytes are the answer. Popular searches (the quickstart, the CLI's defaults, catalog fetchers) come
     * many times between two changes of the market. The snapshot is held weakly: an answer never keeps an old
     * market in memory.
     */
    private static final class CachedQuery {
        final OfferQuery query;
        volatile Answer last;

        CachedQuery(OfferQuery query) {
            this.query = query;
        }
    }

    private record Answer(WeakReference<OfferIndex> market, SearchContext context, byte[] bytes) {
        boolean answers(SearchService.Moment at) {
            return market.get() == at.market() && context.equals(at.context());
        }
    }

    /** The query's answer at this moment: the last one when nothing it depends on changed, else searched. */
    private void answer(Context ctx, CachedQuery q, SearchService.Moment at) {
        Answer last = q.last;
        if (last != null && last.answers(at)) {
            Json.write(ctx, 200, last.bytes());
            return;
        }
        byte[] bytes = pages.bytes(search.search(q.query, at), false);
        if (bytes.length <= MAX_KEPT_ANSWER) q.last = new Answer(new WeakReference<>(at.market()), at.context(), bytes);
        Json.write(ctx, 200, bytes);
    }

    /** {"success": true (asks only), "offers": […], "explain": … (when asked)}, written by {@link SearchPage}. */
    private void answer(Context ctx, SearchResult result, boolean withSuccess) {
        Json.write(ctx, 200, pages.bytes(result, withSuccess));
    }
}
