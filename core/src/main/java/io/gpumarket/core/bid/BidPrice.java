package io.gpumarket.core.bid;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.money.Money;

/**
 * The rules for a bid's price (docs/vast-compatibility.md §b.2, §f.3). Clients send the bid "per machine": dollars per hour for the whole
 * instance ({@code vastai create instance --bid_price}). We keep it per GPU, rounded down to the micro-dollar, because
 * arbitration compares bids per GPU and billing charges GPU time per GPU; the instance then shows (and pays) that per-GPU
 * price times its GPUs, which is the bid or at most a few micro-dollars under it.
 *
 * <ul>
 *   <li>creating: 0.001 ≤ price ≤ 128 (the create route's documented validation), and at least the host's minimum
 *       bid per GPU times the GPUs ({@code invalid_price} otherwise);</li>
 *   <li>changing: price ≥ 0.001 ("Please set a bid price >= 0.001."), ≤ 32 × GPUs (the change route's cap), and at
 *       least the host's minimum bid ({@code invalid_args} otherwise, as that route answers).</li>
 * </ul>
 */
public final class BidPrice {
    public static final long MIN = 1_000L;
    public static final long CREATE_MAX = 128_000_000L;
    public static final long CHANGE_MAX_PER_GPU = 32_000_000L;

    private BidPrice() {}

    /** A create body's {@code price} (dollars for the instance per hour) as micro-dollars per GPU-hour. */
    public static long forCreate(double dollars, int gpus, long minBidPerGpu) {
        long total = total(dollars, "invalid_price");
        if (total < MIN || total > CREATE_MAX) {
            throw new DomainException.BadRequest(
                    "invalid_price",
                    "a bid 'price' must be between $0.001 and $128 per hour" + " for the instance, got " + dollars);
        }
        return perGpu(total, gpus, minBidPerGpu, "invalid_price");
    }

    /** A change-bid body's {@code price} as micro-dollars per GPU-hour. */
    public static long forChange(double dollars, int gpus, long minBidPerGpu) {
        long total = total(dollars, "invalid_args");
        if (total < MIN) throw new DomainException.BadRequest("invalid_args", "Please set a bid price >= 0.001.");
        long max = Math.multiplyExact(CHANGE_MAX_PER_GPU, gpus);
        if (total > max) {
            throw new DomainException.BadRequest(
                    "invalid_args",
                    "Please set a bid price <= " + Money.toDollars(max) + " (32.0 per GPU for " + gpus + " GPUs); got "
                            + dollars + ".");
        }
        return perGpu(total, gpus, minBidPerGpu, "invalid_args");
    }

    private static long total(double dollars, String code) {
        if (Double.isNaN(dollars) || Double.isInfinite(dollars)) {
            throw new DomainException.BadRequest(
                    code, "a bid 'price' must be a number of dollars per hour, got " + dollars);
        }
        return Money.fromDollars(dollars);
    }

    private static long perGpu(long total, int gpus, long minBidPerGpu, String code) {
        long floor = Math.multiplyExact(minBidPerGpu, gpus);
        if (total < floor) {
            throw new DomainException.BadRequest(
                    code,
                    "a bid of $" + Money.toDollars(total) + "/hour for " + gpus
                            + " GPU(s) is below the machine's minimum bid of $" + Money.toDollars(minBidPerGpu)
                            + " per GPU ($"
                            + Money.toDollars(floor) + "/hour for " + gpus + ")");
        }
        return total / gpus;
    }
}
