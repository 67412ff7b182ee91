package io.gpumarket.server.http;

import io.javalin.config.JettyConfig;
import io.javalin.config.RouterConfig;
import io.javalin.event.EventManager;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.InternalRouter;
import io.javalin.router.ParsedEndpoint;
import io.javalin.websocket.WsRouter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Javalin's router with a cheap test in front of its path patterns. Javalin finds a request's route by matching
 * the path against each registered route's regular expression in turn until one matches; with ~300 routes that was
 * a large share of a cheap request's cost (the agent's sync, the static routes; docs/benchmarks.md). Here each
 * route also keeps its literal prefix (the path up to its first parameter or wildcard), and only routes whose prefix
 * the path starts with are tried, in the same registration order — so the first match, and with it every answer,
 * is the one Javalin would give. A path with a doubled slash (which Javalin's patterns accept here, see
 * {@code treatMultipleSlashesAsSingleSlash}) goes to Javalin's own search unchanged.
 */
public final class PrefixRouter extends InternalRouter {
    private record Entry(String prefix, ParsedEndpoint parsed) {
        /** Javalin's own test ({@code PathMatcher.match}), with the prefix checked before the pattern. */
        boolean matches(String path) {
            String routePath = parsed.endpoint.path;
            return routePath.equals("*") || routePath.equals(path) || (path.startsWith(prefix) && parsed.matches(path));
        }
    }

    private final RouterConfig config;
    private final Map<HandlerType, List<Entry>> byMethod = new ConcurrentHashMap<>();

    public PrefixRouter(WsRouter ws, EventManager events, RouterConfig config, JettyConfig jetty) {
        super(ws, events, config, jetty);
        this.config = config;
    }

    @Override
    public InternalRouter addHttpEndpoint(Endpoint endpoint) {
        super.addHttpEndpoint(endpoint);
        byMethod.computeIfAbsent(endpoint.method, m -> new CopyOnWriteArrayList<>())
                .add(new Entry(literalPrefix(endpoint.path), new ParsedEndpoint(endpoint, config)));
        return this;
    }

    @Override
    public ParsedEndpoint findFirstHttpHandlerEntry(HandlerType type, String path) {
        if (!indexable(path)) return super.findFirstHttpHandlerEntry(type, path);
        for (Entry e : entries(type)) {
            if (e.matches(path)) return e.parsed();
        }
        return null;
    }

    @Override
    public boolean hasHttpHandlerEntry(HandlerType type, String path) {
        if (!indexable(path)) return super.hasHttpHandlerEntry(type, path);
        return findFirstHttpHandlerEntry(type, path) != null;
    }

    @Override
    public List<ParsedEndpoint> findHttpHandlerEntries(HandlerType type, String path) {
        if (!indexable(path)) return super.findHttpHandlerEntries(type, path);
        List<ParsedEndpoint> found = new ArrayList<>(2);
        for (Entry e : entries(type)) {
            if (e.matches(path)) found.add(e.parsed());
        }
        return found;
    }

    /** The settings its patterns follow (trailing slashes, doubled slashes, case). */
    public RouterConfig config() {
        return config;
    }

    private List<Entry> entries(HandlerType type) {
        List<Entry> list = byMethod.get(type);
        return list == null ? List.of() : list;
    }

    /**
     * Paths the prefix test answers exactly like Javalin's patterns: no doubled slash, routes matched case by case,
     * no context path before them.
     */
    private boolean indexable(String path) {
        return !path.contains("//") && !config.caseInsensitiveRoutes && "/".equals(config.contextPath);
    }

    /**
     * The part of a route's path every matching request path starts with: up to the first parameter ({@code {id}},
     * {@code <path>}) or wildcard, and without the trailing slash Javalin ignores.
     */
    static String literalPrefix(String routePath) {
        int cut = routePath.length();
        for (int i = 0; i < routePath.length(); i++) {
            char c = routePath.charAt(i);
            if (c == '{' || c == '<' || c == '*') {
                cut = i;
                break;
            }
        }
        String prefix = routePath.substring(0, cut);
        if (cut == routePath.length() && prefix.length() > 1 && prefix.endsWith("/"))
            prefix = prefix.substring(0, prefix.length() - 1);
        return prefix;
    }
}
