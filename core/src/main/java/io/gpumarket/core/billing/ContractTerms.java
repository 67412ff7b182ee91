package io.gpumarket.core.billing;

import io.gpumarket.core.instance.ContractPrices;

/**
 * What a contract pays, frozen when it was rented: its GPUs at the bundle's per-GPU price, its disk at the per
 * GB-month price (a month is 720 hours, as offers show {@code storage_total_cost}), traffic per GB (10⁹ bytes),
 * and the platform's cut of what it pays, in millionths.
 *
 * <p>Every charge is a floor of the cumulative usage priced at once ({@link #charges}), never a sum of rounded
 * pieces: the meter charges the difference between two such floors, so the charges over any split of time add up
 * to the charge over the whole, to the micro-dollar.
 *
 * @param diskMilliGb the rented disk in thousandths of a GB (sizes are metered to the MB)
 */
public record ContractTerms(
        int numGpus,
        long diskMilliGb,
        long gpuPerGpuHour,
        long diskPerGbMonth,
        long upPerGb,
        long downPerGb,
        int feePpm) {
    static final long MILLIS_PER_HOUR = 3_600_000L;
    /** 720 hours of milliseconds, times 1000 for milli-GB. */
    static final long DISK_DIVISOR = 720L * MILLIS_PER_HOUR * 1000L;

    static final long BYTES_PER_GB = 1_000_000_000L;
    static final long PPM = 1_000_000L;

    public ContractTerms {
        if (numGpus < 1) throw new IllegalArgumentException("a contract rents at least one GPU, got " + numGpus);
        if (diskMilliGb < 0 || gpuPerGpuHour < 0 || diskPerGbMonth < 0 || upPerGb < 0 || downPerGb < 0) {
            throw new IllegalArgumentException("disk size and prices cannot be negative");
        }
        if (feePpm < 0 || feePpm > PPM)
            throw new IllegalArgumentException("platform fee must be 0..1000000 ppm, got " + feePpm);
    }

    public static ContractTerms of(int numGpus, double diskGb, ContractPrices p, int feePpm) {
        return new ContractTerms(
                numGpus,
                Math.round(diskGb * 1000),
                p.gpuPerHour(),
                p.diskPerGbMonth(),
                p.inetUpPerGb(),
                p.inetDownPerGb(),
                feePpm);
    }

    /** The bundle's GPU price: per-GPU price times GPUs, micro-dollars per hour. */
    public long gpuPerHour() {
        return Math.multiplyExact(gpuPerGpuHour, numGpus);
    }

    /** What the usage up to some instant costs in all, each item floored to the micro-dollar. */
    public Charges charges(Usage u) {
        return new Charges(
                gpu(u),
                MulDiv.floor(u.diskMillis(), Math.multiplyExact(diskPerGbMonth, diskMilliGb), DISK_DIVISOR),
                MulDiv.floor(u.txBytes(), upPerGb, BYTES_PER_GB),
                MulDiv.floor(u.rxBytes(), downPerGb, BYTES_PER_GB));
    }

    /**
     * The GPU time at the frozen price, plus (for a bid changed since) the time at changed bids at what it cost:
     * one floor of the exact sum, so changes of price keep charges additive over any split of time.
     */
    private long gpu(Usage u) {
        GpuCost r = u.repriced();
        if (r.millis() == 0) return MulDiv.floor(u.gpuMillis(), gpuPerHour(), MILLIS_PER_HOUR);
        long frozen = u.gpuMillis() - r.millis();
        // ⌊(frozen × price × n + n × Σ ms × p) / h⌋ = n × micros + ⌊(frozen × price × n + n × remainder) / h⌋
        GpuCost atFrozen = GpuCost.NONE.plus(frozen, gpuPerHour());
        long rest = Math.addExact(atFrozen.remainder(), Math.multiplyExact(r.remainder(), (long) numGpus));
        return Math.addExact(
                Math.addExact(atFrozen.micros(), Math.multiplyExact(r.micros(), (long) numGpus)),
                rest / MILLIS_PER_HOUR);
    }

    /** The platform's cut of cumulative charges, per item, floored (so the host gets any rounding). */
    public Charges fees(Charges cumulative) {
        return new Charges(fee(cumulative.gpu()), fee(cumulative.disk()), fee(cumulative.bwu()), fee(cumulative.bwd()));
    }

    private long fee(long micros) {
        return MulDiv.floor(micros, feePpm, PPM);
    }

    /**
     * What one hour of the contract costs while running: GPUs plus storage, rounded up (traffic is not included:
     * it cannot be known in advance). Creating or starting an instance needs a balance that covers this.
     */
    public long hourly() {
        long disk = Math.multiplyExact(diskPerGbMonth, diskMilliGb);
        return Math.addExact(gpuPerHour(), (disk + 720_000 - 1) / 720_000);
    }
}
