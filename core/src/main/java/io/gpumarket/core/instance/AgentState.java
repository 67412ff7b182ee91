package io.gpumarket.core.instance;

import java.time.Instant;

/**
 * The fields of an instance only its machine's agent writes (design §1, "two fields, two writers"): the store
 * method that applies an agent report copies these and nothing else.
 *
 * @param actualStatus null until the agent first reports
 * @param diskUsageGb  null while unknown
 * @param cpuUtil      fraction of one core, null while unknown
 * @param startedAt    the current run's start, null when not running
 */
public record AgentState(String actualStatus, String statusMsg, Double diskUsageGb, Double cpuUtil, Instant startedAt) {
    /** Statuses an agent may report (spec §f.2); unknown and offline are computed by the server, never reported. */
    public static final java.util.Set<String> REPORTABLE = java.util.Set.of("created", "loading", "running", "stopped",
            "exited", "rebooting", "recycling", "frozen");

    public static AgentState none() {
        return new AgentState(null, null, null, null, null);
    }
}
