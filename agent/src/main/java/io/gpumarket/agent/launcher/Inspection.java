package io.gpumarket.agent.launcher;

/**
 * What a launcher sees of an instance right now.
 *
 * @param exitCode   set when {@code state} is EXITED
 * @param diskBytes  bytes used by the instance's files
 * @param cpuSeconds CPU time used by its process tree so far (the agent derives utilisation from deltas)
 * @param startedAt  epoch seconds the current run started, 0 when not running
 * @param message    a human-readable note (why it exited, what runs)
 * @param rxBytes    bytes received since the current run started, for traffic billing; null where the launcher cannot
 *                   measure it (the process launcher shares the host's network)
 * @param txBytes    bytes sent since the current run started; null likewise
 */
public record Inspection(
        State state,
        Integer exitCode,
        long diskBytes,
        double cpuSeconds,
        long startedAt,
        String message,
        Long rxBytes,
        Long txBytes) {
    public enum State {
        RUNNING,
        STOPPED,
        EXITED,
        ABSENT
    }

    /** Without traffic counters. */
    public Inspection(
            State state, Integer exitCode, long diskBytes, double cpuSeconds, long startedAt, String message) {
        this(state, exitCode, diskBytes, cpuSeconds, startedAt, message, null, null);
    }
}
