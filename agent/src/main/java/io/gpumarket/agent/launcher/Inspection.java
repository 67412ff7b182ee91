package io.gpumarket.agent.launcher;

/**
 * What a launcher sees of an instance right now.
 *
 * @param exitCode   set when {@code state} is EXITED
 * @param diskBytes  bytes used by the instance's files
 * @param cpuSeconds CPU time used by its process tree so far (the agent derives utilisation from deltas)
 * @param startedAt  epoch seconds the current run started, 0 when not running
 * @param message    a human-readable note (why it exited, what runs)
 */
public record Inspection(State state, Integer exitCode, long diskBytes, double cpuSeconds, long startedAt, String message) {
    public enum State { RUNNING, STOPPED, EXITED, ABSENT }
}
