package io.gpumarket.core.money;

/**
 * Money is a {@code long} count of micro-dollars everywhere (1 $ = 1,000,000). Floating point appears only
 * at the wire, where Vast clients expect dollars as JSON numbers.
 */
public final class Money {
    public static final long MICROS_PER_DOLLAR = 1_000_000L;

    private Money() {}

    /** Dollars as sent by clients (e.g. 0.35) to micro-dollars, rounded half-up to the nearest micro. */
    public static long fromDollars(double dollars) {
        if (Double.isNaN(dollars) || Double.isInfinite(dollars)) {
            throw new IllegalArgumentException("not a finite amount: " + dollars);
        }
        return Math.round(dollars * MICROS_PER_DOLLAR);
    }

    public static double toDollars(long micros) {
        return micros / (double) MICROS_PER_DOLLAR;
    }
}
