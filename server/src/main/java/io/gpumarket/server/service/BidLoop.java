package io.gpumarket.server.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends preemption notices that have run out ({@link BidArbiter#expireNotices}) every interval, on one background
 * thread. Only servers with a notice window run it. A failed run is logged once and retried at the next.
 */
public final class BidLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BidLoop.class);

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("bid-arbiter").unstarted(r));
    private final IntSupplier expire;
    private volatile boolean failing;

    public BidLoop(IntSupplier expire, Duration interval) {
        this.expire = expire;
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            expire.getAsInt();
            if (failing) LOG.info("bid arbiter recovered");
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) LOG.error("ending preemption notices failed; retrying every interval", e);
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
