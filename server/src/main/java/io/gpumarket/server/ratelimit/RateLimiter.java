package io.gpumarket.server.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Token buckets (Bucket4j) for each caller and route class, and for each client IP's failed authentications, held
 * in bounded maps that forget a caller once its buckets would be full again (Caffeine, expiring after the longest
 * period unused: a bucket left alone that long has refilled, so forgetting it changes nothing).
 *
 * <p>Every refusal is counted in the {@code gpumarket_rate_limited_total} counter, tagged with its class.
 */
public final class RateLimiter {
    /** More callers than this at once and the least recently seen are forgotten (their buckets start full again). */
    private static final long MAX_CALLERS = 100_000;

    /** Why a request is refused and when to come back (whole seconds, at least 1: the Retry-After header). */
    public record Refusal(String limitName, long retryAfterSeconds, String msg) {}

    private record Key(String caller, RouteClass routeClass) {}

    private final RateLimits limits;
    private final MeterRegistry registry;
    private final Cache<Key, Bucket> buckets;
    private final Cache<String, Bucket> failures;
    /** Callers (by credential hash) that authenticated lately: a locked-out address does not lock them out. */
    private final Cache<String, Boolean> proven;

    public RateLimiter(RateLimits limits, MeterRegistry registry) {
        this.limits = limits;
        this.registry = registry;
        Duration forget = limits.longestPeriod().isZero() ? Duration.ofMinutes(1) : limits.longestPeriod();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CALLERS)
                .expireAfterAccess(forget)
                .build();
        this.failures = Caffeine.newBuilder()
                .maximumSize(MAX_CALLERS)
                .expireAfterAccess(forget)
                .build();
        this.proven = Caffeine.newBuilder()
                .maximumSize(MAX_CALLERS)
                .expireAfterWrite(Duration.ofHours(1))
                .build();
    }

    public RateLimits limits() {
        return limits;
    }

    /**
     * Takes one request of {@code routeClass} from {@code caller}'s allowance.
     *
     * @param caller who is asking: "key:" and a hash of the credential the request carries, else "ip:" and the
     *               client address
     */
    public Optional<Refusal> admit(String caller, RouteClass routeClass) {
        RateLimit limit = limits.of(routeClass);
        if (limit == null) return Optional.empty();
        Bucket bucket = buckets.get(
                new Key(caller, routeClass),
                k -> Bucket.builder()
                        .addLimit(l -> l.capacity(limit.requests()).refillGreedy(limit.requests(), limit.period()))
                        .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) return Optional.empty();
        return Optional.of(refuse(
                routeClass.flag(),
                probe.getNanosToWaitForRefill(),
                "API requests too frequent: the " + routeClass.flag() + " limit is " + limit.requests()
                        + " requests per " + limit.period().toSeconds() + " s for each "
                        + (caller.startsWith("ip:") ? "client address" : "key")));
    }

    /**
     * Whether {@code ip} has used up its failed authentications: then even a right key from it is refused until the
     * period ends, so that guessing keys costs the guesser the whole period and a hit cannot be told from a miss —
     * unless that key authenticated in the last hour, before the guessing: the other users and agents behind the
     * same address (a NAT, a host running many agents, one of them misconfigured) keep working.
     *
     * @param caller as for {@link #admit}
     */
    public Optional<Refusal> lockedOut(String ip, String caller) {
        if (limits.authFailures() == null) return Optional.empty();
        if (proven.getIfPresent(caller) != null) return Optional.empty();
        Bucket bucket = failures.getIfPresent(ip);
        if (bucket == null || bucket.getAvailableTokens() > 0) return Optional.empty();
        RateLimit l = limits.authFailures();
        return Optional.of(refuse(
                "auth_failures",
                bucket.estimateAbilityToConsume(1).getNanosToWaitForRefill(),
                "Too many failed authentications from " + ip + " (at most " + l.requests() + " per "
                        + l.period().toSeconds() + " s)"));
    }

    /** Remembers that {@code caller}'s key or token was accepted (see {@link #lockedOut}). */
    public void authenticated(String caller) {
        if (limits.authFailures() != null && proven.getIfPresent(caller) == null) proven.put(caller, Boolean.TRUE);
    }

    /** Counts a refused key or machine token from {@code ip}. */
    public void failedAuthentication(String ip) {
        RateLimit l = limits.authFailures();
        if (l == null) return;
        // refilled all at once at the end of the period: the lock-out lasts until then, not one token's worth
        failures.get(
                        ip,
                        k -> Bucket.builder()
                                .addLimit(b -> b.capacity(l.requests()).refillIntervally(l.requests(), l.period()))
                                .build())
                .tryConsume(1);
    }

    private Refusal refuse(String name, long nanosToWait, String why) {
        Counter.builder("gpumarket.rate_limited")
                .description("requests refused with 429 by a rate limit")
                .tag("class", name)
                .register(registry)
                .increment();
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(nanosToWait + 999_999_999L));
        return new Refusal(name, seconds, why + "; retry in " + seconds + " s.");
    }
}
