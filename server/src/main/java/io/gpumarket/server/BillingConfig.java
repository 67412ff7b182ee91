package io.gpumarket.server;

import java.time.Duration;

/**
 * How the server bills, validated at start.
 *
 * @param meterInterval  how often the metering loop charges; {@link Duration#ZERO} runs no loop (ticks only when
 *                       called, as tests do)
 * @param platformFeePpm the platform's cut of what new contracts pay, in millionths (10% = 100000); a contract
 *                       keeps the cut it was rented with
 * @param destroyGrace   how long an instance stopped because its owner's credit ran out is kept before it is
 *                       destroyed (if the balance is still not above zero); null keeps it until its owner acts
 */
public record BillingConfig(Duration meterInterval, int platformFeePpm, Duration destroyGrace) {
    public BillingConfig {
        if (meterInterval == null
                || meterInterval.isNegative()
                || (!meterInterval.isZero() && meterInterval.compareTo(Duration.ofMillis(100)) < 0)
                || meterInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(
                    "billing meter interval must be 0 (no loop) or 100 ms to 1 h, got " + meterInterval);
        }
        if (platformFeePpm < 0 || platformFeePpm > 1_000_000) {
            throw new IllegalArgumentException(
                    "platform fee must be 0 to 100% (0..1000000 ppm), got " + platformFeePpm + " ppm");
        }
        if (destroyGrace != null && destroyGrace.isNegative()) {
            throw new IllegalArgumentException("destroy grace period cannot be negative, got " + destroyGrace);
        }
    }

    /** The meter every 5 s, no platform fee, nothing destroyed for lack of credit. */
    public static BillingConfig defaults() {
        return new BillingConfig(Duration.ofSeconds(5), 0, null);
    }

    /** No metering loop: the meter charges only when its tick is called. */
    public static BillingConfig manual() {
        return new BillingConfig(Duration.ZERO, 0, null);
    }

    /** A fee given in percent (10.5 → 105000 ppm), rounded to the nearest ppm. */
    public BillingConfig withPlatformFeePercent(double percent) {
        if (!Double.isFinite(percent))
            throw new IllegalArgumentException("platform fee must be a number, got " + percent);
        return new BillingConfig(meterInterval, (int) Math.round(percent * 10_000), destroyGrace);
    }

    public BillingConfig withMeterInterval(Duration interval) {
        return new BillingConfig(interval, platformFeePpm, destroyGrace);
    }

    public BillingConfig withDestroyGrace(Duration grace) {
        return new BillingConfig(meterInterval, platformFeePpm, grace);
    }
}
