package io.gpumarket.core.billing;

/**
 * How much of each metered quantity a contract used from its creation up to some instant: cumulative, so the
 * charge for any stretch of time is the charge of the usage at its end minus the charge of the usage at its start.
 *
 * @param gpuMillis  time the instance was reported {@code running} while its host was heard from
 * @param diskMillis time the instance existed (stopped included)
 * @param rxBytes    bytes downloaded, as its agent reported them (0 where the launcher cannot measure)
 * @param txBytes    bytes uploaded, likewise
 * @param repriced   the part of the GPU time run at a changed bid, with its cost ({@link GpuCost#NONE} when the
 *                   contract's price never changed): the rest of {@code gpuMillis} is at the contract's frozen price
 */
public record Usage(long gpuMillis, long diskMillis, long rxBytes, long txBytes, GpuCost repriced) {
    public static final Usage ZERO = new Usage(0, 0, 0, 0);

    public Usage(long gpuMillis, long diskMillis, long rxBytes, long txBytes) {
        this(gpuMillis, diskMillis, rxBytes, txBytes, GpuCost.NONE);
    }

    public Usage {
        if (repriced == null) repriced = GpuCost.NONE;
        if (repriced.millis() > gpuMillis) {
            throw new IllegalArgumentException(
                    "repriced GPU time " + repriced.millis() + " ms exceeds the GPU time " + gpuMillis);
        }
        if (gpuMillis < 0 || diskMillis < 0 || rxBytes < 0 || txBytes < 0) {
            throw new IllegalArgumentException("usage cannot be negative: " + gpuMillis + " ms GPU, " + diskMillis
                    + " ms disk, " + rxBytes + " B down, " + txBytes + " B up");
        }
    }
}
