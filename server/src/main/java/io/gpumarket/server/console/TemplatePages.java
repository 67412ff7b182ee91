package io.gpumarket.server.console;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.template.Template;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.ApiViews;
import io.gpumarket.server.service.TemplateService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Templates: the caller's own and the public ones, in the view {@code GET /api/v0/template/} answers; creating one
 * (as {@code POST} does, from the same fields) and deleting one's own. A template's hash is what the rent form takes.
 */
final class TemplatePages {
    private final TemplateService templates;

    TemplatePages(TemplateService templates) {
        this.templates = templates;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/templates", web.signedIn((ctx, s) -> page(ctx, s, 200, null)));
        routes.post("/console/templates", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.template.create", Map.of());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", ConsoleWeb.field(ctx, "name"));
            body.put("image", ConsoleWeb.field(ctx, "image"));
            String tag = ConsoleWeb.field(ctx, "tag");
            if (tag != null) body.put("tag", tag);
            String env = ConsoleWeb.field(ctx, "env");
            if (env != null) body.put("env", env);
            String onstart = ConsoleWeb.field(ctx, "onstart");
            if (onstart != null) body.put("onstart", onstart);
            boolean ssh = !"args".equals(ctx.formParam("runtype"));
            body.put("runtype", ssh ? "ssh" : "args");
            body.put("use_ssh", ssh);
            body.put("ssh_direct", ssh);
            String disk = ConsoleWeb.field(ctx, "disk");
            try {
                if (disk != null) body.put("recommended_disk_space", Double.parseDouble(disk));
            } catch (NumberFormatException e) {
                page(ctx, s, 400, "The disk size must be a number of GB.");
                return;
            }
            body.put("private", ctx.formParam("private") != null);
            try {
                templates.create(s.principal(), body);
            } catch (DomainException.BadRequest e) {
                page(ctx, s, 400, e.getMessage());
                return;
            }
            ctx.redirect("/console/templates", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/templates/{hash}/delete", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.template.delete", Map.of());
            templates.delete(s.principal(), null, ctx.pathParam("hash"));
            ctx.redirect("/console/templates", HttpStatus.SEE_OTHER);
        }));
    }

    private void page(Context ctx, ConsoleSessions.Live s, int status, String error) {
        ConsoleWeb.permit(s, Access.USER_READ, "api.template.search", Map.of());
        long me = s.principal().userId();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Template t : templates.visible(s.principal())) {
            Map<String, Object> v = new LinkedHashMap<>(ApiViews.template(t, me));
            v.put("mine", t.creatorId() == me);
            rows.add(v);
        }
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Templates", "templates"));
        model.put("templates", rows);
        model.put("error", error);
        ConsoleWeb.render(ctx, status, "templates.jte", model);
    }
}
