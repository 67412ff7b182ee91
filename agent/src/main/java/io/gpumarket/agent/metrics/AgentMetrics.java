package io.gpumarket.agent.metrics;

import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.agent.ssh.DoorTraffic;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The agent's own metrics (docs/operations.md, "The agent's metrics"), served in Prometheus text by
 * {@link MetricsServer} when the agent runs with {@code --metrics-listen}: instances by the state this agent last
 * reported, launcher operations and failures ({@link CountingLauncher}), SSH sessions open and bytes relayed by the
 * SSH door, and the container engine's exec sessions where the launcher counts them. One agent, one host: nothing
 * here is shared with other agents.
 */
public final class AgentMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge instances;
    private volatile Supplier<Map<String, Integer>> states = Map::of;

    public AgentMetrics() {
        this.instances = MultiGauge.builder("gpumarket.agent.instances")
                .description("instances this agent runs, by the actual_status it last reported")
                .register(registry);
    }

    /** {@code launcher}, its operations counted. */
    public Launcher counted(Launcher launcher) {
        Gauge.builder(
                        "gpumarket.agent.exec.sessions.open",
                        launcher,
                        l -> l.openSessions().orElse(-1))
                .description("exec sessions the container engine holds open for SSH sessions (-1: this launcher "
                        + "keeps none); one that only grows is a leak")
                .register(registry);
        return new CountingLauncher(launcher, registry);
    }

    /** The SSH door's sessions and bytes. */
    public void door(DoorTraffic traffic) {
        Gauge.builder("gpumarket.agent.ssh.sessions.open", traffic, DoorTraffic::sessionsOpen)
                .description("SSH connections open to the instances' front doors")
                .register(registry);
        FunctionCounter.builder("gpumarket.agent.ssh.relayed.bytes", traffic, DoorTraffic::bytesIn)
                .description("bytes the SSH door relayed between renters and their instances' programs")
                .tag("direction", "in")
                .register(registry);
        FunctionCounter.builder("gpumarket.agent.ssh.relayed.bytes", traffic, DoorTraffic::bytesOut)
                .description("bytes the SSH door relayed between renters and their instances' programs")
                .tag("direction", "out")
                .register(registry);
    }

    /** Where the instances' states are read at each scrape (status → count). */
    public void instances(Supplier<Map<String, Integer>> states) {
        this.states = states;
    }

    /** The Prometheus text, the instances' states read first. */
    public String scrape() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        states.get().forEach((status, n) -> rows.add(MultiGauge.Row.of(Tags.of("actual_status", status), n)));
        instances.register(rows, true);
        return registry.scrape();
    }
}
