package io.gpumarket.app.command;

import io.gpumarket.core.notify.RetryPolicy;
import io.gpumarket.server.notify.NotifyConfig;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code gpumarket server}'s webhook and market-metrics flags (docs/webhooks.md). */
public final class NotifyOptions {
    @Option(
            names = "--webhooks-allow-private",
            description = "let webhooks post to loopback, private and link-local addresses (off: a webhook cannot be "
                    + "aimed at the server's own network; docs/webhooks.md)")
    boolean allowPrivate;

    @Option(
            names = "--webhook-retry-first",
            defaultValue = "10s",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "the wait after a failed delivery, doubled per attempt (default ${DEFAULT-VALUE})")
    Duration retryFirst;

    @Option(
            names = "--webhook-retry-max",
            defaultValue = "10m",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "the longest wait between attempts (default ${DEFAULT-VALUE})")
    Duration retryMax;

    @Option(
            names = "--webhook-retry-for",
            defaultValue = "24h",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how long after its event a delivery is still retried before it is marked failed "
                    + "(default ${DEFAULT-VALUE})")
    Duration retryFor;

    @Option(
            names = "--webhook-secret-grace",
            defaultValue = "24h",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how long a rotated-out secret still signs deliveries (default ${DEFAULT-VALUE})")
    Duration secretGrace;

    @Option(
            names = "--market-snapshot-every",
            defaultValue = "5m",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how often the market is snapshotted for /metrics/gpu/history/ (default ${DEFAULT-VALUE})")
    Duration snapshotEvery;

    @Option(
            names = "--market-history-keep",
            defaultValue = "30d",
            converter = DurationConverter.class,
            paramLabel = "DURATION",
            description = "how long market snapshots are kept (default ${DEFAULT-VALUE})")
    Duration snapshotKeep;

    NotifyConfig config() {
        return NotifyConfig.defaults()
                .withAllowPrivateTargets(allowPrivate)
                .withRetry(new RetryPolicy(retryFirst, retryMax, retryFor))
                .withSecretGrace(secretGrace)
                .withSnapshots(snapshotEvery, snapshotKeep);
    }
}
