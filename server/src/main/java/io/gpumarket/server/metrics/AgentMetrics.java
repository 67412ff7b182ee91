package io.gpumarket.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * What the agents' syncs cost this server process: a sync counter and the time a sync takes beyond its long-poll
 * hold (reading the reports, writing them, answering), and the reports refused as malformed. Meters are made once
 * here, so the sync path only increments (no tags built per request: it is the path that 10,000 hosts call).
 * Per process: with several replicas, sum them.
 */
public final class AgentMetrics {
    private final Counter syncs;
    private final Timer work;
    private final Counter malformed;

    AgentMetrics(MeterRegistry registry) {
        this.syncs = Counter.builder("gpumarket.agent.syncs")
                .description("agent syncs answered by this server process (per replica: sum across replicas)")
                .register(registry);
        this.work = Timer.builder("gpumarket.agent.sync.work")
                .description("time an agent sync took beyond its long-poll hold (per replica)")
                .register(registry);
        this.malformed = Counter.builder("gpumarket.agent.reports.rejected")
                .description("agent syncs refused (400) for a report no measurement gives: negative counters, "
                        + "non-finite usage, a status the server computes (per replica)")
                .tag("reason", "malformed")
                .register(registry);
    }

    /** A sync was answered; {@code workNanos} is its time less the time it was held waiting for a change. */
    public void synced(long workNanos) {
        syncs.increment();
        work.record(workNanos, TimeUnit.NANOSECONDS);
    }

    /** A sync was refused for a malformed report. */
    public void rejected() {
        malformed.increment();
    }
}
