package io.gpumarket.core.notify;

import java.time.Duration;
import java.time.Instant;

/**
 * When a failed webhook delivery is tried again: exponential backoff from {@code first}, doubling per attempt up to
 * {@code longest}, and no more tries once {@code giveUpAfter} has passed since the event (then the delivery is marked
 * failed in the log, never silently dropped).
 */
public record RetryPolicy(Duration first, Duration longest, Duration giveUpAfter) {
    public RetryPolicy {
        if (first == null || first.isNegative() || first.isZero())
            throw new IllegalArgumentException("the first retry delay must be positive, got " + first);
        if (longest == null || longest.compareTo(first) < 0)
            throw new IllegalArgumentException(
                    "the longest retry delay must be >= the first (" + first + "), got " + longest);
        if (giveUpAfter == null || giveUpAfter.compareTo(longest) < 0)
            throw new IllegalArgumentException(
                    "the retry window must be >= the longest delay (" + longest + "), got " + giveUpAfter);
    }

    /** 10 s, doubling up to 10 minutes, for 24 hours. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(10), Duration.ofMinutes(10), Duration.ofHours(24));
    }

    /** The wait after the {@code attempts}-th failed attempt (1 = the first). */
    public Duration delayAfter(int attempts) {
        Duration d = first;
        for (int i = 1; i < attempts && d.compareTo(longest) < 0; i++) d = d.multipliedBy(2);
        return d.compareTo(longest) > 0 ? longest : d;
    }

    /** Whether a delivery of an event made at {@code created} still gets another try after failing at {@code now}. */
    public boolean retries(Instant created, Instant now) {
        return now.isBefore(created.plus(giveUpAfter));
    }
}
