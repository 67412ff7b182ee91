package io.gpumarket.server;

import io.gpumarket.core.machine.ReliabilityPolicy;
import java.time.Duration;

/**
 * How the server keeps machines up to date, validated at start.
 *
 * @param interval    how often reliability is recomputed and rolling listings are extended; {@link Duration#ZERO}
 *                    runs no loop (tests call the jobs directly)
 * @param reliability the formula's constants (docs/reliability.md)
 */
public record UpkeepConfig(Duration interval, ReliabilityPolicy reliability) {
    public UpkeepConfig {
        if (interval == null
                || interval.isNegative()
                || (!interval.isZero() && interval.compareTo(Duration.ofMillis(100)) < 0)
                || interval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    "machine upkeep interval must be 0 (no loop) or 100 ms to 1 h, got " + interval);
        }
        if (reliability == null) throw new IllegalArgumentException("reliability policy must be set");
    }

    /** Every minute, with the documented reliability constants. */
    public static UpkeepConfig defaults() {
        return new UpkeepConfig(Duration.ofMinutes(1), ReliabilityPolicy.defaults());
    }

    /** No loop: tests run the jobs when they mean to. */
    public static UpkeepConfig manual() {
        return new UpkeepConfig(Duration.ZERO, ReliabilityPolicy.defaults());
    }

    public UpkeepConfig withInterval(Duration d) {
        return new UpkeepConfig(d, reliability);
    }

    public UpkeepConfig withReliability(ReliabilityPolicy p) {
        return new UpkeepConfig(interval, p);
    }
}
