package io.gpumarket.app.command;

import io.gpumarket.server.BillingConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the server bills ({@link BillingConfig}): {@code --meter-interval}, {@code --platform-fee}, {@code --destroy-unpaid-after}. */
public final class BillingOptions {
    @Option(
            names = "--meter-interval",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how often the meter charges running contracts: 100ms to 1h, or 0 for no loop (default 5s)")
    Duration meterInterval;

    @Option(
            names = "--platform-fee",
            paramLabel = "PERCENT",
            description = "the platform's cut of what new contracts pay hosts, in percent (default 0)")
    Double platformFeePercent;

    @Option(
            names = "--destroy-unpaid-after",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "destroy instances stopped for lack of credit after this long if the balance is still not"
                    + " above zero, e.g. 48h (default: never; storage keeps accruing)")
    Duration destroyUnpaidAfter;

    /** The defaults with what was given on the command line; BillingConfig refuses values out of range. */
    BillingConfig apply(BillingConfig base) {
        BillingConfig c = base;
        if (meterInterval != null) c = c.withMeterInterval(meterInterval);
        if (platformFeePercent != null) c = c.withPlatformFeePercent(platformFeePercent);
        if (destroyUnpaidAfter != null) c = c.withDestroyGrace(destroyUnpaidAfter);
        return c;
    }
}
