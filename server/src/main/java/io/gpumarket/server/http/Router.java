package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.server.auth.Authenticator;
import io.gpumarket.server.auth.Principal;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The route table: every route is registered here with its {@link Access}, and every handler receives the
 * authenticated caller. Paths are matched with and without the trailing slash (Javalin ignores it).
 */
public final class Router {
    /** A handler that knows who is calling (null principal on PUBLIC routes). */
    @FunctionalInterface
    public interface Handler {
        void handle(Context ctx, Principal caller) throws Exception;
    }

    public record Route(String method, String path, Access access) {}

    private final RoutesConfig routes;
    private final Authenticator auth;
    private final List<Route> table = new ArrayList<>();

    public Router(RoutesConfig routes, Authenticator auth) {
        this.routes = routes;
        this.auth = auth;
    }

    public void get(String path, Access access, Handler h) {
        add("GET", path, access, h);
    }

    public void post(String path, Access access, Handler h) {
        add("POST", path, access, h);
    }

    public void put(String path, Access access, Handler h) {
        add("PUT", path, access, h);
    }

    public void delete(String path, Access access, Handler h) {
        add("DELETE", path, access, h);
    }

    /** Every registered route, for documentation and the permission matrix tests. */
    public List<Route> table() {
        return Collections.unmodifiableList(table);
    }

    private void add(String method, String path, Access access, Handler h) {
        table.add(new Route(method, path, access));
        io.javalin.http.Handler wrapped = ctx -> h.handle(ctx, authorize(ctx, access));
        switch (method) {
            case "GET" -> routes.get(path, wrapped);
            case "POST" -> routes.post(path, wrapped);
            case "PUT" -> routes.put(path, wrapped);
            case "DELETE" -> routes.delete(path, wrapped);
            default -> throw new IllegalArgumentException(method);
        }
    }

    private Principal authorize(Context ctx, Access access) {
        if (access == Access.PUBLIC) return null;
        Principal caller = auth.authenticate(ctx.header("Authorization"), ctx.queryParam("api_key"));
        if (access == Access.ADMIN && !caller.admin()) {
            throw new DomainException.Forbidden("not_authorized", "This route needs an admin key.");
        }
        return caller;
    }
}
