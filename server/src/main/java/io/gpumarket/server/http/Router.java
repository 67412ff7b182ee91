package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.permission.Decision;
import io.gpumarket.core.permission.RouteCatalog;
import io.gpumarket.core.text.StorableText;
import io.gpumarket.server.audit.AuditArgs;
import io.gpumarket.server.audit.AuditLog;
import io.gpumarket.server.auth.Authenticator;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.server.ratelimit.RateLimiter;
import io.gpumarket.server.ratelimit.RouteClass;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/**
 * The route table: every route is registered here with its {@link Access} and a route name, and every handler
 * receives the authenticated caller. A scoped key (one with a permission document) is checked against the
 * route's category and name before the handler runs; names are Vast's where the docs give them
 * ({@code api.instance.show}), else derived from the path. Paths are matched with and without the trailing
 * slash (Javalin ignores it).
 *
 * <p>Every route belongs to a {@link RouteClass}; before anything else a request is counted against its caller's
 * allowance for that class (the caller is the key or machine token it carries, else its client IP) and refused
 * with 429 and {@code Retry-After} past it. A client IP whose keys or tokens were refused too often is refused
 * before its key is even looked at (docs/security.md "Rate limits").
 */
public final class Router {
    /** A handler that knows who is calling (null principal on PUBLIC routes). */
    @FunctionalInterface
    public interface Handler {
        void handle(Context ctx, Principal caller) throws Exception;
    }

    /** A handler for the agent protocol: the caller is the machine whose token the request carries. */
    @FunctionalInterface
    public interface AgentHandler {
        void handle(Context ctx, Machine machine) throws Exception;
    }

    /**
     * One registered route. {@code anonymous}: the route also answers callers without a key (offer search, as on
     * Vast: gpuhunt and SkyPilot's catalog fetcher search without one); a request that carries a key is still
     * checked like any other.
     */
    public record Route(String method, String path, Access access, String name, boolean anonymous) {}

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

    private final RoutesConfig routes;
    private final Authenticator auth;
    private final RateLimiter limiter;
    private final List<Route> table = new ArrayList<>();
    private final AuditLog audit;

    /** @param audit where every state-changing call that succeeds is recorded (docs/security.md "Audit log") */
    public Router(RoutesConfig routes, Authenticator auth, RateLimiter limiter, AuditLog audit) {
        this.routes = routes;
        this.auth = auth;
        this.limiter = limiter;
        this.audit = audit;
    }

    public void get(String path, Access access, Handler h) {
        add("GET", path, access, derivedName(path), h);
    }

    public void post(String path, Access access, Handler h) {
        add("POST", path, access, derivedName(path), h);
    }

    public void put(String path, Access access, Handler h) {
        add("PUT", path, access, derivedName(path), h);
    }

    public void delete(String path, Access access, Handler h) {
        add("DELETE", path, access, derivedName(path), h);
    }

    /** A route with the name a permission document grants it by ({@code api.instance.show}). */
    public void get(String path, Access access, String name, Handler h) {
        add("GET", path, access, name, h);
    }

    public void post(String path, Access access, String name, Handler h) {
        add("POST", path, access, name, h);
    }

    public void put(String path, Access access, String name, Handler h) {
        add("PUT", path, access, name, h);
    }

    public void delete(String path, Access access, String name, Handler h) {
        add("DELETE", path, access, name, h);
    }

    /**
     * A route that, when {@code keyOptional}, answers without a key too (its handler then gets a null caller), counted
     * per client IP like every keyless request; with a key it is authorized as {@code access} says.
     */
    public void route(String method, String path, Access access, boolean keyOptional, Handler h) {
        add(method, path, access, derivedName(path), keyOptional, h);
    }

    /** An agent-protocol route ({@link Access#AGENT}), authenticated by machine token. */
    public void agent(String method, String path, AgentHandler h) {
        table.add(new Route(method, path, Access.AGENT, derivedName(path), false));
        bind(method, path, ctx -> {
            String caller = caller(ctx, Authenticator.credential(ctx.header("Authorization"), null));
            if (refused(ctx, RouteClass.AGENT, caller)) return;
            Machine machine;
            try {
                machine = auth.machine(ctx.header("Authorization"));
            } catch (DomainException.Unauthorized e) {
                limiter.failedAuthentication(ctx.ip());
                throw e;
            }
            limiter.authenticated(caller);
            MDC.put(LogFields.MACHINE, Long.toString(machine.id()));
            h.handle(ctx, machine);
        });
    }

    /** The rate-limit class of a registered route. */
    public static RouteClass routeClass(Route r) {
        return RouteClass.of(r.method(), r.path(), r.access());
    }

    /** Every registered route, for documentation and the permission matrix tests. */
    public List<Route> table() {
        return Collections.unmodifiableList(table);
    }

    private void add(String method, String path, Access access, String name, Handler h) {
        add(method, path, access, name, false, h);
    }

    private void add(String method, String path, Access access, String name, boolean anonymous, Handler h) {
        if (access == Access.AGENT)
            throw new IllegalArgumentException("agent routes are registered with agent(): " + path);
        table.add(new Route(method, path, access, name, anonymous));
        RouteClass routeClass = RouteClass.of(method, path, access);
        bind(method, path, ctx -> {
            Optional<String> credential = access == Access.PUBLIC
                    ? Optional.empty()
                    : Authenticator.credential(ctx.header("Authorization"), ctx.queryParam("api_key"));
            String caller = caller(ctx, credential);
            if (refused(ctx, routeClass, caller)) return;
            Principal principal = anonymous && credential.isEmpty() ? null : authorize(ctx, access, name, caller);
            h.handle(ctx, principal);
            // a refusal is thrown past this line: only calls that changed something are recorded (a search by
            // POST or PUT changes nothing)
            if (principal != null
                    && !method.equals("GET")
                    && routeClass != RouteClass.SEARCH
                    && ctx.status().getCode() < 400) {
                audit.record(
                        principal.userId(),
                        principal.keyId() > 0 ? principal.keyId() : null,
                        method,
                        path,
                        name,
                        AuditArgs.of(ctx.pathParamMap()),
                        ctx.status().getCode(),
                        ctx.ip());
            }
        });
    }

    /** Who the limits count a request against: its key or token (by hash only), else its client address. */
    private static String caller(Context ctx, Optional<String> credential) {
        return credential.map(c -> "key:" + Secrets.hash(c)).orElse("ip:" + ctx.ip());
    }

    /**
     * Counts the request against its caller's allowance; past it (or from a locked-out address) answers 429 in
     * Vast's error body with {@code Retry-After} in seconds, and says so. Keys are remembered by their hash only.
     */
    private boolean refused(Context ctx, RouteClass routeClass, String caller) {
        Optional<RateLimiter.Refusal> refusal =
                caller.startsWith("key:") ? limiter.lockedOut(ctx.ip(), caller) : Optional.empty();
        if (refusal.isEmpty()) refusal = limiter.admit(caller, routeClass);
        refusal.ifPresent(r -> {
            ctx.header("Retry-After", Long.toString(r.retryAfterSeconds()));
            Json.send(ctx, 429, ErrorMapper.body("rate_limit_exceeded", r.msg()));
        });
        return refusal.isPresent();
    }

    private void bind(String method, String path, io.javalin.http.Handler handler) {
        String route = method + " " + path;
        io.javalin.http.Handler wrapped = ctx -> {
            try {
                LogFields.route(route, path, ctx.pathParamMap());
                screenText(ctx);
                handler.handle(ctx);
            } finally {
                Json.drainUnread(ctx); // a refusal reaches the client, not a cut connection
            }
        };
        switch (method) {
            case "GET" -> routes.get(path, wrapped);
            case "POST" -> routes.post(path, wrapped);
            case "PUT" -> routes.put(path, wrapped);
            case "DELETE" -> routes.delete(path, wrapped);
            default -> throw new IllegalArgumentException(method);
        }
    }

    private Principal authorize(Context ctx, Access access, String name, String callerId) {
        if (access == Access.PUBLIC) return null;
        Principal caller;
        try {
            caller = auth.authenticate(ctx.header("Authorization"), ctx.queryParam("api_key"));
        } catch (DomainException.Unauthorized e) {
            limiter.failedAuthentication(ctx.ip());
            throw e;
        }
        limiter.authenticated(callerId);
        MDC.put(LogFields.CALLER, Long.toString(caller.userId()));
        permit(caller, access, name, ctx.pathParamMap());
        return caller;
    }

    /**
     * Whether {@code caller} may use the route {@code name} of {@code access} with these path parameters: the check
     * every API route makes after authentication, and the one the web console makes before it acts for a session.
     *
     * @throws DomainException.Forbidden when it may not
     */
    public static void permit(Principal caller, Access access, String name, Map<String, String> pathParams) {
        // Admin routes need the admin's full-access key: a scoped key of an admin (an instance's own key, say) must
        // not reach them, and the scope categories do not cover them.
        if (access == Access.ADMIN && (!caller.admin() || caller.scoped())) {
            throw new DomainException.Forbidden("not_authorized", "This route needs an admin key with full access.");
        }
        if (access.isCategory() && caller.scoped()) {
            Decision d = caller.check(access.category(), name, pathParams);
            if (!d.allowed()) throw new DomainException.Forbidden("not_authorized", d.reason());
        }
    }

    /** The rate limiter every route counts against (the console's sign-in counts its failures here too). */
    public RateLimiter limiter() {
        return limiter;
    }

    /** The routes config this router binds to, for routes outside the API table (the web console's pages). */
    public RoutesConfig routes() {
        return routes;
    }

    /**
     * Refuses query parameters and path segments carrying text no store can keep ({@link StorableText}), before
     * anything reads them; JSON bodies and JSON in query parameters are screened where {@link Json} parses them.
     */
    private static void screenText(Context ctx) {
        for (Map.Entry<String, List<String>> p : ctx.queryParamMap().entrySet()) {
            StorableText.require(p.getKey(), "A query parameter's name");
            for (String v : p.getValue()) StorableText.require(v, "Query parameter '" + p.getKey() + "'");
        }
        for (Map.Entry<String, String> p : ctx.pathParamMap().entrySet()) {
            StorableText.require(p.getValue(), "The path's {" + p.getKey() + "}");
        }
    }

    /**
     * The routes a permission document may name, by category, with the path parameters each can be constrained
     * by: read from the table, so a new route can be granted as soon as it is registered.
     */
    public RouteCatalog catalog() {
        Map<String, Map<String, Set<String>>> byCategory = new TreeMap<>();
        for (Route r : table) {
            if (!r.access().isCategory()) continue;
            Set<String> params = byCategory
                    .computeIfAbsent(r.access().category(), c -> new TreeMap<>())
                    .computeIfAbsent(r.name(), n -> new TreeSet<>());
            Matcher m = PATH_PARAM.matcher(r.path());
            while (m.find()) params.add(m.group(1));
        }
        return new RouteCatalog(byCategory);
    }

    /** "/api/v0/machines/{id}/asks" → "api.machines.asks". */
    static String derivedName(String path) {
        List<String> parts = new ArrayList<>();
        for (String s : path.split("/")) {
            if (s.isEmpty() || s.startsWith("{") || s.matches("v\\d+")) continue;
            parts.add(s.toLowerCase(Locale.ROOT));
        }
        return String.join(".", parts);
    }
}
