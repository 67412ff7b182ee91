package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.template.Template;
import io.gpumarket.core.template.TemplateQuery;
import io.gpumarket.server.service.TemplateService;
import java.util.List;
import java.util.Map;

/**
 * Templates (docs/vast-compatibility.md §b.4): search {@code GET /template/?select_filters=…&order_by=…} over the caller's own and the
 * public templates, and {@code POST/PUT/DELETE /template/}. Edits name the template by {@code hash_id};
 * deletes by {@code template_id} (the docs) or {@code hash_id} (the CLI).
 */
public final class TemplatesEndpoint {
    private final TemplateService templates;

    public TemplatesEndpoint(TemplateService templates) {
        this.templates = templates;
    }

    public void register(Router r) {
        r.get("/api/v0/template", Access.USER_READ, "api.template.search", (ctx, caller) -> {
            String filters = ctx.queryParam("select_filters");
            TemplateQuery query = TemplateQuery.parse(
                    filters == null || filters.isBlank() ? null : Json.parseObject(filters, "select_filters"),
                    orderBy(ctx.queryParam("order_by")));
            List<Map<String, Object>> found = query.apply(templates.visible(caller).stream()
                    .map(t -> TemplateViews.of(t, caller.userId()))
                    .toList());
            Json.ok(ctx, Json.success("templates_found", found.size(), "templates", found));
        });
        r.post("/api/v0/template", Access.USER_WRITE, "api.template.create", (ctx, caller) -> {
            TemplateService.Saved saved = templates.create(caller, Json.bodyMap(ctx));
            Template t = saved.template();
            Json.ok(
                    ctx,
                    Json.success(
                            "msg",
                            saved.created()
                                    ? "Template Created Successfully! New Template ID: " + t.id()
                                    : "Existing template found: ID " + t.id(),
                            "template",
                            TemplateViews.of(t, caller.userId())));
        });
        r.put("/api/v0/template", Access.USER_WRITE, "api.template.edit", (ctx, caller) -> {
            Template t = templates.edit(caller, Json.bodyMap(ctx));
            Json.ok(
                    ctx,
                    Json.success(
                            "msg",
                            "Template " + t.id() + " updated.",
                            "template",
                            TemplateViews.of(t, caller.userId())));
        });
        r.delete("/api/v0/template", Access.USER_WRITE, "api.template.delete", (ctx, caller) -> {
            Map<String, Object> body = Json.bodyMap(ctx);
            Double id = Params.number(body, "template_id");
            if (id != null && (id != Math.rint(id) || id < 1)) {
                throw new DomainException.BadRequest(
                        "invalid_args", "'template_id' must be a positive integer, got " + body.get("template_id"));
            }
            Template t = templates.delete(caller, id == null ? null : id.longValue(), Params.string(body, "hash_id"));
            Json.ok(ctx, Json.success("msg", "Template " + t.id() + " deleted."));
        });
    }

    /** order_by as one field name, or the instance list's JSON form [{"col": …, "dir": …}] (its first entry). */
    private static String orderBy(String raw) {
        if (raw == null || !raw.strip().startsWith("[")) return raw;
        List<?> list =
                (List<?>) Json.parseObject("{\"o\": " + raw + "}", "order_by").get("o");
        if (list.isEmpty()) return null;
        if (!(list.get(0) instanceof Map<?, ?> first) || !(first.get("col") instanceof String col)) {
            throw new DomainException.BadRequest(
                    "invalid_args", "order_by entries look like {\"col\": \"name\", \"dir\": \"asc\"}");
        }
        return col + ("desc".equalsIgnoreCase(String.valueOf(first.get("dir"))) ? " desc" : " asc");
    }
}
