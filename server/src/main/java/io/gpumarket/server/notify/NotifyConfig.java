package io.gpumarket.server.notify;

import io.gpumarket.core.notify.RetryPolicy;
import java.time.Duration;

/**
 * Settings of webhooks and market metrics, validated when made (docs/webhooks.md).
 *
 * @param allowPrivateTargets whether webhooks may post to loopback, private and link-local addresses (off: a webhook
 *                            cannot be aimed at the server's own network; {@code --webhooks-allow-private})
 * @param retry               backoff and for how long a failing delivery is retried
 * @param deliverEvery        how often the delivery loop looks for due deliveries (and silent machines)
 * @param secretGrace         how long a rotated-out secret still signs deliveries (header
 *                            {@code X-Vast-Signature-256-Previous})
 * @param snapshotEvery       how often the market is snapshotted for the history (zero: never; tests snapshot by
 *                            hand)
 * @param snapshotRetention   how long snapshots are kept
 */
public record NotifyConfig(
        boolean allowPrivateTargets,
        RetryPolicy retry,
        Duration deliverEvery,
        Duration secretGrace,
        Duration snapshotEvery,
        Duration snapshotRetention) {
    public NotifyConfig {
        if (retry == null) retry = RetryPolicy.defaults();
        positive("deliverEvery", deliverEvery);
        if (secretGrace == null || secretGrace.isNegative())
            throw new IllegalArgumentException("the secret grace period must be >= 0, got " + secretGrace);
        if (snapshotEvery == null || snapshotEvery.isNegative())
            throw new IllegalArgumentException("the snapshot interval must be >= 0, got " + snapshotEvery);
        positive("snapshotRetention", snapshotRetention);
    }

    public static NotifyConfig defaults() {
        return new NotifyConfig(
                false,
                RetryPolicy.defaults(),
                Duration.ofSeconds(1),
                Duration.ofHours(24),
                Duration.ofMinutes(5),
                Duration.ofDays(30));
    }

    public NotifyConfig withAllowPrivateTargets(boolean allow) {
        return new NotifyConfig(allow, retry, deliverEvery, secretGrace, snapshotEvery, snapshotRetention);
    }

    public NotifyConfig withRetry(RetryPolicy r) {
        return new NotifyConfig(allowPrivateTargets, r, deliverEvery, secretGrace, snapshotEvery, snapshotRetention);
    }

    public NotifyConfig withDeliverEvery(Duration d) {
        return new NotifyConfig(allowPrivateTargets, retry, d, secretGrace, snapshotEvery, snapshotRetention);
    }

    public NotifyConfig withSecretGrace(Duration g) {
        return new NotifyConfig(allowPrivateTargets, retry, deliverEvery, g, snapshotEvery, snapshotRetention);
    }

    public NotifyConfig withSnapshots(Duration every, Duration retention) {
        return new NotifyConfig(allowPrivateTargets, retry, deliverEvery, secretGrace, every, retention);
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero())
            throw new IllegalArgumentException(name + " must be positive, got " + d);
    }
}
