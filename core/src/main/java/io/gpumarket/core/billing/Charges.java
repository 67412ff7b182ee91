package io.gpumarket.core.billing;

/**
 * Money per charge item, in micro-dollars, with Vast's item names: {@code gpu}, {@code disk}, {@code bwu}
 * (upload) and {@code bwd} (download).
 */
public record Charges(long gpu, long disk, long bwu, long bwd) {
    public static final Charges ZERO = new Charges(0, 0, 0, 0);
    /**
     * The most one contract may cost over its life: a billion dollars. A contract priced above it cannot be priced
     * (the meter sets it aside): nothing real costs that, and bounding it keeps every sum of charges, balances
     * included, far from overflowing a long.
     */
    public static final long MAX_CONTRACT_TOTAL = 1_000_000_000L * 1_000_000L;

    public long total() {
        return Math.addExact(Math.addExact(gpu, disk), Math.addExact(bwu, bwd));
    }

    public Charges plus(Charges o) {
        return new Charges(
                Math.addExact(gpu, o.gpu),
                Math.addExact(disk, o.disk),
                Math.addExact(bwu, o.bwu),
                Math.addExact(bwd, o.bwd));
    }

    public Charges minus(Charges o) {
        return new Charges(
                Math.subtractExact(gpu, o.gpu),
                Math.subtractExact(disk, o.disk),
                Math.subtractExact(bwu, o.bwu),
                Math.subtractExact(bwd, o.bwd));
    }

    /**
     * The total, checked: {@link ArithmeticException} when a sum overflows or the total is above
     * {@link #MAX_CONTRACT_TOTAL}, so that a contract which cannot be priced is told apart from one that can.
     */
    public long checkedTotal() {
        long t = total();
        if (t > MAX_CONTRACT_TOTAL) {
            throw new ArithmeticException("charges of " + t + " micro-dollars exceed the most a contract may cost ("
                    + MAX_CONTRACT_TOTAL + ")");
        }
        return t;
    }

    public boolean isZero() {
        return gpu == 0 && disk == 0 && bwu == 0 && bwd == 0;
    }
}
