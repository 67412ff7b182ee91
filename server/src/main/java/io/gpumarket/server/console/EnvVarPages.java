package io.gpumarket.server.console;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.service.EnvVarService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * The account's environment variables, as {@code /api/v0/secrets/} keeps them: names with masked values (a value is
 * never shown back, only replaced), add, update and delete.
 */
final class EnvVarPages {
    private final EnvVarService envVars;

    EnvVarPages(EnvVarService envVars) {
        this.envVars = envVars;
    }

    void register(RoutesConfig routes, ConsoleWeb web) {
        routes.get("/console/env", web.signedIn((ctx, s) -> page(ctx, s, 200, null)));
        routes.post("/console/env", web.signedIn((ctx, s) -> {
            boolean update = "update".equals(ctx.formParam("action"));
            ConsoleWeb.permit(s, Access.USER_WRITE, update ? "api.secrets.update" : "api.secrets.create", Map.of());
            try {
                if (update) envVars.update(s.principal(), ConsoleWeb.field(ctx, "key"), ctx.formParam("value"));
                else envVars.add(s.principal(), ConsoleWeb.field(ctx, "key"), ctx.formParam("value"));
            } catch (DomainException.BadRequest | DomainException.NotFound e) {
                page(ctx, s, 400, e.getMessage());
                return;
            }
            ctx.redirect("/console/env", HttpStatus.SEE_OTHER);
        }));
        routes.post("/console/env/delete", web.signedIn((ctx, s) -> {
            ConsoleWeb.permit(s, Access.USER_WRITE, "api.secrets.delete", Map.of());
            envVars.delete(s.principal(), ConsoleWeb.field(ctx, "key"));
            ctx.redirect("/console/env", HttpStatus.SEE_OTHER);
        }));
    }

    private void page(Context ctx, ConsoleSessions.Live s, int status, String error) {
        ConsoleWeb.permit(s, Access.USER_READ, "api.secrets.show", Map.of());
        Map<String, Object> model = new HashMap<>();
        model.put("frame", ConsoleWeb.frame(s, "Environment variables", "env"));
        model.put("vars", envVars.masked(s.principal()));
        model.put("error", error);
        ConsoleWeb.render(ctx, status, "env.jte", model);
    }
}
