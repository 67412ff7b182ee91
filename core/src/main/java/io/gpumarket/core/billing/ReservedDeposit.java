package io.gpumarket.core.billing;

/**
 * A reserved instance's prepaid deposit and its rules (docs/billing.md "Reserved instances"), all in micro-dollars and
 * exact.
 *
 * <p><b>Discount schedule.</b> A prepayment covers {@code months} = deposit ÷ (the contract's undiscounted hourly cost
 * × 720). The discount rises with it, piecewise linearly through (0, 0), (1 month, ½ D), (3 months, ¾ D) and
 * (6 months, D), and stays at D beyond, where D is the host's {@code credit_discount_max} (Vast's default 0.4 gives
 * Vast's documented 0.2 for a month, 0.3 for three). Every prepayment recomputes it from the whole remaining deposit,
 * as Vast's does.
 *
 * <p><b>Drawing.</b> The meter charges a reserved contract's usage at the discounted price and takes it from the
 * deposit first; what the deposit cannot cover is charged to the renter's credit, and once it is empty the contract
 * pays the on-demand price again. Within one rate the discounted cost is computed from the cumulative charge
 * ({@link #draw}), so ticks add up exactly.
 *
 * <p><b>Refund.</b> Destroying the instance refunds what is left less the discount received so far and 5 % of that
 * discount ({@link #refundable}), never below zero.
 *
 * @param balance        what is left of the deposit
 * @param discountPpm    the discount in millionths
 * @param segmentBase    undiscounted charges metered at this rate
 * @param segmentCharged what they cost discounted
 * @param discountTotal  all the discount received, over every rate
 */
public record ReservedDeposit(
        long balance, int discountPpm, long segmentBase, long segmentCharged, long discountTotal) {
    public static final int PPM = 1_000_000;
    /** Hours in a month, as everywhere in billing. */
    static final long HOURS_PER_MONTH = 720;

    public ReservedDeposit {
        if (balance < 0
                || discountPpm < 0
                || discountPpm > PPM
                || segmentBase < 0
                || segmentCharged < 0
                || discountTotal < 0) {
            throw new IllegalArgumentException("not a deposit: " + balance + ", " + discountPpm + " ppm");
        }
    }

    /**
     * Months a deposit covers at this hourly cost, in millionths of a month (floored); a contract that costs nothing
     * is covered for ever (the most a long holds).
     */
    public static long monthsPpm(long deposit, long hourly) {
        if (hourly <= 0) return Long.MAX_VALUE;
        return MulDiv.floor(deposit, PPM, Math.multiplyExact(hourly, HOURS_PER_MONTH));
    }

    /** The discount (ppm) of a deposit covering {@code monthsPpm}, under the host's maximum {@code maxPpm}. */
    public static int discountPpm(long monthsPpm, int maxPpm) {
        if (maxPpm < 0 || maxPpm > PPM) throw new IllegalArgumentException("a maximum discount of " + maxPpm + " ppm");
        long m = monthsPpm;
        long share; // of D, in ppm
        if (m >= 6L * PPM) share = PPM;
        else if (m >= 3L * PPM) share = 750_000 + (m - 3L * PPM) * 250_000 / (3L * PPM);
        else if (m >= PPM) share = 500_000 + (m - PPM) * 250_000 / (2L * PPM);
        else share = m * 500_000 / PPM;
        return (int) (share * maxPpm / PPM);
    }

    /** A new prepayment: the deposit grows and its rate is recomputed from what it now covers (a new segment). */
    public ReservedDeposit plus(long amount, long hourly, int maxPpm) {
        long total = Math.addExact(balance, amount);
        return new ReservedDeposit(total, discountPpm(monthsPpm(total, hourly), maxPpm), 0, 0, discountTotal);
    }

    /** One tick's effect of {@code amount} undiscounted charges on the deposit. */
    public record Draw(ReservedDeposit next, long discount, long fromDeposit, long fromCredit) {}

    /**
     * Charges {@code amount} (undiscounted, ≥ 0) against the deposit: the discounted cost is the growth of the
     * segment's cumulative discounted cost; it comes from the deposit first, the rest from credit. An empty deposit
     * gives no discount.
     */
    public Draw draw(long amount) {
        if (amount < 0) throw new IllegalArgumentException("a negative charge " + amount);
        if (balance == 0 || amount == 0) return new Draw(this, 0, 0, amount);
        long base = Math.addExact(segmentBase, amount);
        long charged = base - MulDiv.floor(base, discountPpm, PPM);
        long cost = charged - segmentCharged;
        long discount = amount - cost;
        long fromDeposit = Math.min(cost, balance);
        return new Draw(
                new ReservedDeposit(
                        balance - fromDeposit, discountPpm, base, charged, Math.addExact(discountTotal, discount)),
                discount,
                fromDeposit,
                cost - fromDeposit);
    }

    /** What destroying the instance now refunds: the rest, less the discount received and 5 % of it (rounded up). */
    public long refundable() {
        long clawback = Math.addExact(discountTotal, (discountTotal * 5 + 99) / 100);
        return Math.max(0, balance - clawback);
    }
}
