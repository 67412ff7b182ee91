package io.gpumarket.core.instance;

import java.time.Instant;

/**
 * The fields of an instance only its machine's agent writes (docs/architecture.md §1, "two fields, two writers"): the store
 * method that applies an agent report copies these and nothing else.
 *
 * @param actualStatus a {@link ActualStatus#reportable() reportable} status (checked by the server before it is
 *                     stored), null until the agent first reports
 * @param diskUsageGb  null while unknown
 * @param cpuUtil      fraction of one core, null while unknown
 * @param startedAt    the current run's start, null when not running
 */
public record AgentState(
        ActualStatus actualStatus, String statusMsg, Double diskUsageGb, Double cpuUtil, Instant startedAt) {
    public static AgentState none() {
        return new AgentState(null, null, null, null, null);
    }
}
