package io.gpumarket.core.machine;

import java.time.Duration;

/**
 * The constants of {@link Reliability}, validated here (docs/reliability.md explains each).
 *
 * @param window       only heartbeat history and starts this recent count
 * @param halfLife     a stretch of history this much older weighs half as much
 * @param priorWeight  how much observed time the starting value is worth: a new machine shows {@code initial}, and
 *                     history outweighs it once the machine has been watched for about this long; the prior fades
 *                     with the machine's age like any other history
 * @param initial      where a machine with no history starts
 * @param priorStarts  successful starts a machine is credited with before its first, so one early failure does not
 *                     halve it
 */
public record ReliabilityPolicy(
        Duration window, Duration halfLife, Duration priorWeight, double initial, int priorStarts) {
    public ReliabilityPolicy {
        if (window == null || window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("reliability window must be at least 1 s, got " + window);
        }
        if (halfLife == null || halfLife.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("reliability half-life must be at least 1 s, got " + halfLife);
        }
        if (priorWeight == null || priorWeight.isNegative()) {
            throw new IllegalArgumentException("reliability prior weight cannot be negative, got " + priorWeight);
        }
        if (!(initial >= 0 && initial <= 1)) {
            throw new IllegalArgumentException("initial reliability must be between 0 and 1, got " + initial);
        }
        if (priorStarts < 1) throw new IllegalArgumentException("prior starts must be at least 1, got " + priorStarts);
    }

    /** 30-day window, 7-day half-life, a day's worth of prior at 0.9, four good starts credited. */
    public static ReliabilityPolicy defaults() {
        return new ReliabilityPolicy(Duration.ofDays(30), Duration.ofDays(7), Duration.ofDays(1), 0.9, 4);
    }
}
