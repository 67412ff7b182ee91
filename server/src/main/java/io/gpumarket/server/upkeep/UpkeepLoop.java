package io.gpumarket.server.upkeep;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the machines' periodic upkeep (reliability, rolling listing end dates) every interval on one background
 * thread. Each job reads the injected clock and the stored history, so a late or skipped run only delays a value.
 * A failed job is logged once per run of failures and tried again at the next run.
 */
public final class UpkeepLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpkeepLoop.class);

    /** One job of the loop, named for the log. */
    public record Job(String name, Runnable work) {}

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("machine-upkeep").unstarted(r));
    private final List<Job> jobs;
    private volatile boolean failing;

    public UpkeepLoop(Duration interval, List<Job> jobs) {
        this.jobs = List.copyOf(jobs);
        long ms = interval.toMillis();
        executor.scheduleWithFixedDelay(this::runOnce, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        boolean failed = false;
        for (Job job : jobs) {
            try {
                job.work().run();
            } catch (RuntimeException e) {
                if (!failing) LOG.error("machine upkeep: {} failed; retrying every interval", job.name(), e);
                failed = true;
            }
        }
        failing = failed;
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
