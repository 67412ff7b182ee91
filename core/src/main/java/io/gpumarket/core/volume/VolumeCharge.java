package io.gpumarket.core.volume;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/**
 * What a volume has cost by a moment: size × price per GB-month × the time it existed (to the millisecond) ÷ a
 * month of 720 hours, floored once. The meter charges the difference of two of these, so any split of time into
 * ticks charges exactly what one tick over the whole would.
 */
public final class VolumeCharge {
    /** A month as the offers' {@code storage_total_cost} counts it: 720 hours. */
    public static final long MONTH_MS = Duration.ofHours(720).toMillis();

    private VolumeCharge() {}

    /** Micro-dollars the volume has cost from its creation to {@code at} (0 before it, constant after deletion). */
    public static long cumulative(Volume v, Instant at) {
        Instant end = v.deletedAt() != null && v.deletedAt().isBefore(at) ? v.deletedAt() : at;
        long ms = Math.max(0, end.toEpochMilli() - v.createdAt().toEpochMilli());
        return BigInteger.valueOf(v.sizeGb())
                .multiply(BigInteger.valueOf(v.pricePerGbMonth()))
                .multiply(BigInteger.valueOf(ms))
                .divide(BigInteger.valueOf(MONTH_MS))
                .longValueExact();
    }

    /** Micro-dollars charged for {@code (from, to]}. */
    public static long between(Volume v, Instant from, Instant to) {
        return cumulative(v, to) - cumulative(v, from);
    }
}
