package io.gpumarket.server.ratelimit;

import io.gpumarket.server.http.Access;
import java.util.Locale;

/**
 * The kinds of request that share a rate limit. Vast limits each endpoint on its own (docs/vast-compatibility.md §a.4, the thresholds of
 * spec/vast-openapi-ops.md); a handful of classes keeps the flags few while still separating what costs the
 * market most (search scans the offer index, instance writes move GPUs and money) from cheap reads, and keeps the
 * agents' sync on a class of its own so that renters' traffic can never starve a host's heartbeat.
 */
public enum RouteClass {
    /** Offer search ({@code /bundles}, {@code /search/asks}): Vast's strictest limit (10 per minute per IP). */
    SEARCH,
    /** Renting, launching, starting, stopping, relabelling, rebooting, destroying instances (instance_write). */
    INSTANCE_WRITE,
    /** Every other change: keys, SSH keys, templates, machines, user settings, transfers. */
    WRITE,
    /** Reads of one's own things: instances, machines, charges, keys, templates, the user. */
    READ,
    /** The agent protocol (machine token): registration, sync, log uploads. */
    AGENT,
    /** The operator's API under /admin. */
    ADMIN,
    /** Routes without a key (GPU names, log result URLs, /metrics): limited per client IP. */
    PUBLIC,
    /**
     * Serverless routing ({@code /route/}) and the workers' reports ({@code /worker_status/}, {@code /delete_requests/},
     * {@code /pubkey/}): every worker reports each second and every client request routes, per client IP.
     */
    SERVERLESS;

    private static final java.util.Set<String> SERVERLESS_PATHS =
            java.util.Set.of("/route", "/worker_status", "/delete_requests", "/pubkey");

    /** The name on the command line and in metrics ("instance_write"). */
    public String flag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RouteClass ofFlag(String s) {
        for (RouteClass c : values()) {
            if (c.flag().equals(s.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) return c;
        }
        throw new IllegalArgumentException(
                "unknown rate-limit class '" + s + "' (classes: search, instance_write, write, "
                        + "read, agent, admin, public, serverless, auth_failures, all)");
    }

    /**
     * The class of a route, from what the route table knows of it. Search and launch are told apart by path: they
     * are the market's {@code misc} routes that scan the index (search) or rent (launch).
     */
    public static RouteClass of(String method, String path, Access access) {
        switch (access) {
            case AGENT:
                return AGENT;
            case ADMIN:
                return ADMIN;
            case PUBLIC:
                return SERVERLESS_PATHS.contains(path) ? SERVERLESS : PUBLIC;
            default:
                break;
        }
        if (path.contains("/bundles") || path.contains("/search/")) return SEARCH;
        if (access == Access.INSTANCE_WRITE || path.endsWith("/launch_instance")) return INSTANCE_WRITE;
        if (access.category().endsWith("_read") || method.equals("GET")) return READ;
        return WRITE;
    }
}
