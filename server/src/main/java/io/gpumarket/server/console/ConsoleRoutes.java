package io.gpumarket.server.console;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.http.Access;
import io.gpumarket.server.http.Json;
import io.gpumarket.server.http.Router;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The web console, served by the server itself at {@code /} and under {@code /console/}: its pages, its assets
 * (its own CSS and script, and htmx from its webjar), and the two API routes that set a console password. The
 * pages call the services the API calls, under the API routes' permission checks ({@link ConsoleWeb#permit}).
 */
public final class ConsoleRoutes {
    private static final String HTMX = "/META-INF/resources/webjars/htmx.org/2.0.7/dist/htmx.min.js";

    private ConsoleRoutes() {}

    public static void register(Router router, ConsoleServices s) {
        RoutesConfig routes = router.routes();
        ConsoleWeb web = new ConsoleWeb(s.sessions());
        routes.get(
                "/",
                ctx -> ctx.redirect(
                        s.sessions().find(ctx.cookie(ConsoleWeb.SESSION_COOKIE)).isPresent()
                                ? "/console/offers"
                                : "/console/sign-in"));
        routes.get("/console", ctx -> ctx.redirect("/"));
        routes.get("/console/assets/htmx.min.js", ctx -> asset(ctx, HTMX, "text/javascript"));
        routes.get("/console/assets/console.js", ctx -> asset(ctx, "/console/console.js", "text/javascript"));
        routes.get("/console/assets/console.css", ctx -> asset(ctx, "/console/console.css", "text/css"));
        new SignInPages(s.sessions(), s.limiter()).register(routes, web);
        new OfferPages(s.search(), s.rent()).register(routes, web);
        new InstancePages(s.instances(), s.migrations(), s.logs(), s.sshKeys()).register(routes, web);
        new AccountPages(s.sshKeys(), s.billing()).register(routes, web);
        new ApiKeyPages(s.apiKeys(), s.catalog()).register(routes, web);
        new EnvVarPages(s.envVars()).register(routes, web);
        new TemplatePages(s.templates()).register(routes, web);
        new SecurityPages(s.tfa()).register(routes, web);
        new HostPages(s.machines(), s.billing(), s.maintenance(), s.reports()).register(routes, web);
        new AdminPages(s.accounts(), s.machines(), s.store(), s.silentAfter(), s.lastSeen(), s.clock())
                .register(routes, web);
        new RefundPages(s.accounts(), s.billing()).register(routes, web);
        passwordRoutes(router, s.sessions());
    }

    /**
     * Setting a console password: one's own with a full-access key (a scoped key must not turn itself into a
     * full-access session), anyone's by an admin. Either ends the account's console sessions.
     */
    private static void passwordRoutes(Router router, ConsoleSessions sessions) {
        router.put("/api/v0/users/current/password", Access.USER_WRITE, (ctx, caller) -> {
            if (caller.scoped()) {
                throw new DomainException.Forbidden("not_authorized", "Setting a password needs a full-access key.");
            }
            sessions.setPassword(caller.userId(), password(ctx));
            Json.ok(ctx, Json.success("msg", "password set; console sessions of this account were signed out"));
        });
        router.put("/api/v0/admin/users/{id}/password", Access.ADMIN, (ctx, caller) -> {
            long id;
            try {
                id = Long.parseLong(ctx.pathParam("id"));
            } catch (NumberFormatException e) {
                throw new DomainException.NotFound("no_such_user", "No user '" + ctx.pathParam("id") + "'");
            }
            sessions.setPassword(id, password(ctx));
            Json.ok(
                    ctx,
                    Json.success("msg", "password of user " + id + " set; their console sessions were signed out"));
        });
    }

    private static String password(Context ctx) {
        Map<String, Object> body = Json.bodyMap(ctx);
        Object p = body.get("password");
        if (p != null && !(p instanceof String)) {
            throw new DomainException.BadRequest("invalid_args", "'password' must be a string, or null to remove it");
        }
        return (String) p;
    }

    private static void asset(Context ctx, String resource, String type) throws IOException {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(resource)) {
            if (in == null) {
                ctx.status(404).result("");
                return;
            }
            ctx.header("Cache-Control", "public, max-age=3600");
            ctx.contentType(type + "; charset=utf-8").result(in.readAllBytes());
        }
    }
}
