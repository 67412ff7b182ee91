package io.gpumarket.core.billing;

import java.math.BigInteger;

/**
 * {@code floor(a × b / c)} for non-negative longs, exact: the product is taken in 128 bits when it does not fit in
 * 64. Charges are products of long durations and prices, and a rounding that depended on overflow would break the
 * rule that charges over any split of time sum to the charge over the whole.
 */
final class MulDiv {
    private MulDiv() {}

    static long floor(long a, long b, long c) {
        if (a < 0 || b < 0 || c <= 0) {
            throw new IllegalArgumentException(
                    "floor(a*b/c) needs a, b >= 0 and c > 0, got " + a + ", " + b + ", " + c);
        }
        if (Math.multiplyHigh(a, b) == 0) {
            long product = a * b;
            if (product >= 0) return product / c;
        }
        return BigInteger.valueOf(a)
                .multiply(BigInteger.valueOf(b))
                .divide(BigInteger.valueOf(c))
                .longValueExact();
    }
}
