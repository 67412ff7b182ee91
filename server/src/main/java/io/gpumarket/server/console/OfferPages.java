package io.gpumarket.server.console;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.search.SearchResult;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.RentService;
import io.gpumarket.server.service.SearchService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Offer search over the live index (as {@code POST /api/v0/bundles/} answers it; when nothing matches, the DSL's
 * explanation is shown as "why no offers") and the rent form (as {@code PUT /api/v0/asks/{id}/} reads its body).
 */
final class OfferPages {
    private final SearchService search;
    private final RentService rent;

    OfferPages(SearchService search, RentService rent) {
        this.search = search;
        this.rent = rent;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/offers", web.signedIn(this::offers));
        routes.get("/console/offers/{id}/rent", web.signedIn(this::rentForm));
        routes.post("/console/offers/{id}/rent", web.signedIn(this::rent));
    }

    private void offers(Context ctx, ConsoleSessions.Live s) {
        ConsoleWeb.permit(s, Access.MISC, "api.bundles", Map.of());
        OfferSearch form = OfferSearch.from(ctx::queryParam);
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Offers", "offers"));
        model.put("search", form);
        model.put("explain", null);
        model.put("error", null);
        model.put("offers", List.of());
        try {
            SearchResult found = search.search(form.dsl(false), s.principal());
            model.put("offers", found.offers());
            // the explanation costs a full count: only asked for when there is something to explain
            if (found.offers().isEmpty()) {
                model.put(
                        "explain",
                        ApiViews.explain(
                                search.search(form.dsl(true), s.principal()).explain()));
            }
        } catch (DomainException.BadRequest e) {
            model.put("error", e.getMessage());
        }
        ConsoleWeb.render(ctx, 200, "offers.jte", model);
    }

    private void rentForm(Context ctx, ConsoleSessions.Live s) {
        renderForm(ctx, s, offer(ctx, s), 200, null);
    }

    private void rent(Context ctx, ConsoleSessions.Live s) {
        long offerId = offerId(ctx);
        ConsoleWeb.permit(s, Access.INSTANCE_WRITE, "api.instance.create", Map.of("id", Long.toString(offerId)));
        Map<String, Object> body = new LinkedHashMap<>();
        for (String key : List.of("image", "template_hash_id", "onstart", "runtype", "env", "label")) {
            String v = ConsoleWeb.field(ctx, key);
            if (v != null) body.put(key, v);
        }
        body.put("disk", number(ctx, "disk"));
        Double price = number(ctx, "price");
        if (price != null) body.put("price", price);
        try {
            var rented = rent.rent(s.principal(), offerId, ApiViews.rentFields(body), ApiViews.templateHashId(body));
            ctx.redirect("/console/instances/" + rented.instance().id(), HttpStatus.SEE_OTHER);
        } catch (DomainException.BadRequest | DomainException.Conflict e) {
            renderForm(ctx, s, offer(ctx, s), 400, e.getMessage());
        }
    }

    private void renderForm(Context ctx, ConsoleSessions.Live s, Map<String, Object> offer, int status, String error) {
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Rent", "offers"));
        model.put("offer", offer);
        model.put("interruptible", "interruptible".equals(ctx.queryParam("type")) || ctx.formParam("price") != null);
        model.put("error", error);
        ConsoleWeb.render(ctx, status, "rent.jte", model);
    }

    /** The offer as search shows it (so the form shows today's price), or 404 when it is not on offer now. */
    private Map<String, Object> offer(Context ctx, ConsoleSessions.Live s) {
        long id = offerId(ctx);
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("id", Map.of("eq", id));
        q.put("rentable", Map.of("eq", true));
        q.put("type", "interruptible".equals(ctx.queryParam("type")) ? "bid" : "on-demand");
        List<Map<String, Object>> found = search.search(q, s.principal()).offers();
        if (found.isEmpty()) throw new DomainException.NotFound("no_such_ask", "Offer " + id + " is not on offer now.");
        return found.get(0);
    }

    private static long offerId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw new DomainException.NotFound("no_such_ask", "No offer '" + ctx.pathParam("id") + "'");
        }
    }

    private static Double number(Context ctx, String key) {
        String v = ConsoleWeb.field(ctx, key);
        if (v == null) return null;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DomainException.BadRequest("invalid_args", "'" + key + "' must be a number, got '" + v + "'");
        }
    }
}
