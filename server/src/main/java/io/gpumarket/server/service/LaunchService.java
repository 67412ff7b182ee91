package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.RentFields;
import io.gpumarket.core.instance.RentRequest;
import io.gpumarket.core.template.Template;
import io.gpumarket.core.template.TemplateLaunch;
import io.gpumarket.core.template.TemplateRef;
import io.gpumarket.server.auth.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code PUT /launch_instance/} (docs/vast-compatibility.md §b.1): search and rent the best offer in one call. The query is the
 * template's {@code extra_filters} merged with the request's {@code q} (the request wins key by key); unless the
 * query says otherwise, only offers with room for the instance's disk are searched. Offers are tried best first:
 * one another renter takes meanwhile, or one that cannot hold this instance (its disk, its published ports), is
 * passed over for the next, up to {@link #MAX_TRIES}.
 */
public final class LaunchService {
    public static final int MAX_TRIES = 10;

    private final SearchService search;
    private final RentService rent;
    private final TemplateService templates;

    public LaunchService(SearchService search, RentService rent, TemplateService templates) {
        this.search = search;
        this.rent = rent;
        this.templates = templates;
    }

    public RentService.Rented launch(
            Principal caller, RentFields fields, String templateHashId, Map<String, Object> q) {
        Template template = templateHashId == null ? null : templates.usable(caller, templateHashId);
        RentRequest request =
                (template == null ? fields : TemplateLaunch.apply(template.content(), fields)).toRequest();
        Map<String, Object> query =
                new LinkedHashMap<>(TemplateLaunch.filters(template == null ? null : template.content(), q));
        query.putIfAbsent("allocated_storage", request.diskGb());
        List<Map<String, Object>> offers = search.search(query, caller).offers();
        DomainException refused = null;
        for (Map<String, Object> offer : offers.subList(0, Math.min(MAX_TRIES, offers.size()))) {
            try {
                return rent.rent(
                        caller,
                        ((Number) offer.get("id")).longValue(),
                        request,
                        template == null ? null : TemplateRef.of(template));
            } catch (DomainException e) {
                boolean taken = "no_such_ask".equals(e.code());
                if (!taken && !(e instanceof DomainException.BadRequest)) throw e;
                if (!taken) refused = e;
            }
        }
        if (refused != null) throw refused;
        throw new DomainException.NotFound(
                "invalid_query",
                offers.isEmpty()
                        ? "No offer matches the query"
                                + (template == null ? "" : " (with template " + template.hashId() + "'s extra_filters)")
                        : "The " + Math.min(MAX_TRIES, offers.size())
                                + " best offers were all taken meanwhile; try again");
    }
}
