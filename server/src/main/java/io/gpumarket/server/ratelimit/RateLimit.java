package io.gpumarket.server.ratelimit;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One limit: at most {@code requests} in any {@code period} (a token bucket of that capacity refilled at that
 * rate, so a quiet caller may burst up to the whole allowance at once).
 */
public record RateLimit(long requests, Duration period) {
    private static final Pattern TEXT = Pattern.compile("^\\s*(\\d+)\\s*/\\s*(\\d*)\\s*([smhd]?)\\s*$");

    public RateLimit {
        if (requests < 1) throw new IllegalArgumentException("a rate limit allows at least 1 request, got " + requests);
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("a rate limit's period must be positive, got " + period);
        }
    }

    public static RateLimit perMinute(long requests) {
        return new RateLimit(requests, Duration.ofMinutes(1));
    }

    /** The same limit with {@code factor} times the requests (dev mode's allowance). */
    public RateLimit times(long factor) {
        return new RateLimit(Math.multiplyExact(requests, factor), period);
    }

    /**
     * "120/1m", "120/m", "10/30s", "5/60" (seconds), "1000/1h", "1/d". A missing count of units means one unit.
     */
    public static RateLimit parse(String text) {
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "a rate limit reads COUNT/PERIOD, e.g. 120/1m or 10/30s, got '" + text + "'");
        }
        long count = Long.parseLong(m.group(1));
        long units = m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2));
        Duration unit = switch (m.group(3)) {
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            case "d" -> Duration.ofDays(1);
            default -> Duration.ofSeconds(1);
        };
        return new RateLimit(count, unit.multipliedBy(units));
    }

    /** As it is written on the command line: "120/60s". */
    @Override
    public String toString() {
        return requests + "/" + period.toSeconds() + "s";
    }
}
