package io.gpumarket.server.billing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the meter every interval on one background thread. The interval only paces the loop: what a tick charges
 * comes from the injected clock and the recorded history, so a late or skipped run charges the same in the end.
 * A failed tick is logged and retried at the next run (it rolled back whole).
 */
public final class MeterLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MeterLoop.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("billing-meter").unstarted(r));
    private final Supplier<Tick> tick;
    private volatile boolean failing;

    public MeterLoop(Supplier<Tick> tick, Duration interval) {
        this.tick = tick;
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            Tick t = tick.get();
            if (failing) LOG.info("billing meter recovered: charged up to {}", t.to());
            failing = false;
            if (t.stopped() > 0 || t.destroyed() > 0) {
                LOG.info("billing meter: {} instance(s) stopped, {} destroyed for lack of credit", t.stopped(), t.destroyed());
            }
        } catch (RuntimeException e) {
            // logged once per run of failures, not once per tick, so a database outage does not flood the log
            if (!failing) LOG.error("billing meter tick failed; retrying every interval", e);
            failing = true;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
