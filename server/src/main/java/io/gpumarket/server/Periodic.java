package io.gpumarket.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work run every interval on a thread of its own (the metering loop, ending preemption notices, machine
 * upkeep). The interval only paces the work: each run reads the injected clock and the stored history, so a late or
 * skipped run only delays an effect. A failing run is logged once per run of failures (a database outage must not
 * flood the log), its recovery once, and it is tried again at the next interval.
 */
public final class Periodic implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Periodic.class);

    private final String name;
    private final Runnable work;
    private final ScheduledExecutorService executor;
    private volatile boolean failing;

    public Periodic(String name, Duration interval, Runnable work) {
        this.name = name;
        this.work = work;
        this.executor = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name(name).unstarted(r));
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            work.run();
            if (failing) LOG.info("{} recovered", name);
            failing = false;
        } catch (RuntimeException e) {
            if (!failing) LOG.error("{} failed; retrying every interval", name, e);
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
