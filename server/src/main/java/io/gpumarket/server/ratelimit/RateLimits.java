package io.gpumarket.server.ratelimit;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The server's rate limits (docs/security.md "Rate limits"): one per route class, counted per caller (the key or
 * machine token a request carries, else its client IP), and one on failed authentications per client IP. A class
 * without an entry is not limited.
 *
 * <p>The defaults are generous: they stop a runaway script or a flood, not a person or a tool working normally
 * (Vast's own limits are tighter: 10 searches a minute). {@link #dev()} multiplies them by ten for
 * {@code gpumarket dev}, whose quickstart and demo agents must never meet a limit.
 *
 * @param limits       per route class; absent = unlimited
 * @param authFailures failed authentications per client IP before that IP is refused with 429 until the period
 *                     runs out; null = never
 */
public record RateLimits(Map<RouteClass, RateLimit> limits, RateLimit authFailures) {
    public RateLimits {
        EnumMap<RouteClass, RateLimit> copy = new EnumMap<>(RouteClass.class);
        if (limits != null) copy.putAll(limits);
        limits = Collections.unmodifiableMap(copy);
    }

    public static RateLimits defaults() {
        Map<RouteClass, RateLimit> m = new EnumMap<>(RouteClass.class);
        m.put(RouteClass.SEARCH, RateLimit.perMinute(120));
        m.put(RouteClass.INSTANCE_WRITE, RateLimit.perMinute(120));
        m.put(RouteClass.WRITE, RateLimit.perMinute(120));
        m.put(RouteClass.READ, RateLimit.perMinute(600));
        // an agent long-polls and pushes reports every few seconds; a burst after a restart (every instance reported)
        // must pass
        m.put(RouteClass.AGENT, RateLimit.perMinute(1200));
        m.put(RouteClass.ADMIN, RateLimit.perMinute(600));
        // a log result URL is polled every 0.3 s by vastai; /metrics is scraped
        m.put(RouteClass.PUBLIC, RateLimit.perMinute(600));
        // a worker reports twice a second and each client request routes at least once: an endpoint's traffic
        m.put(RouteClass.SERVERLESS, RateLimit.perMinute(12_000));
        return new RateLimits(m, RateLimit.perMinute(10));
    }

    /** Ten times the defaults: a dev market is one person's, and its scripts run flat out. */
    public static RateLimits dev() {
        RateLimits d = defaults();
        Map<RouteClass, RateLimit> m = new EnumMap<>(RouteClass.class);
        d.limits().forEach((c, l) -> m.put(c, l.times(10)));
        return new RateLimits(m, d.authFailures().times(10));
    }

    /** No limit at all (tests that are not about limits, benchmarks). */
    public static RateLimits off() {
        return new RateLimits(Map.of(), null);
    }

    public RateLimit of(RouteClass c) {
        return limits.get(c);
    }

    /** The longest period of any limit: how long a caller's buckets must be remembered after its last request. */
    public Duration longestPeriod() {
        Duration longest = authFailures == null ? Duration.ZERO : authFailures.period();
        for (RateLimit l : limits.values()) if (l.period().compareTo(longest) > 0) longest = l.period();
        return longest;
    }

    /**
     * These limits changed by command-line settings, each {@code CLASS=COUNT/PERIOD} or {@code CLASS=off}; the class
     * {@code auth_failures} is the failed-authentication limit, {@code all} every class at once (e.g. {@code all=off}).
     */
    public RateLimits with(Map<String, String> settings) {
        Map<RouteClass, RateLimit> m = new EnumMap<>(RouteClass.class);
        m.putAll(limits);
        RateLimit auth = authFailures;
        if (settings == null) return this;
        // "all" first, so that "all=off search=10/1m" limits search only, whatever order the flags came in
        String all = settings.entrySet().stream()
                .filter(e -> e.getKey().trim().equalsIgnoreCase("all"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        if (all != null) {
            RateLimit l = limit("all", all);
            for (RouteClass c : RouteClass.values()) put(m, c, l);
            auth = l;
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String name = e.getKey().trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_');
            if (name.equals("all")) continue;
            RateLimit l = limit(name, e.getValue());
            if (name.equals("auth_failures")) auth = l;
            else put(m, RouteClass.ofFlag(name), l);
        }
        return new RateLimits(m, auth);
    }

    private static void put(Map<RouteClass, RateLimit> m, RouteClass c, RateLimit l) {
        if (l == null) m.remove(c);
        else m.put(c, l);
    }

    private static RateLimit limit(String name, String value) {
        if (value == null)
            throw new IllegalArgumentException("--rate-limit " + name + " needs a value (COUNT/PERIOD or off)");
        if (value.trim().equalsIgnoreCase("off")) return null;
        try {
            return RateLimit.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--rate-limit " + name + "=" + value + ": " + e.getMessage(), e);
        }
    }
}
