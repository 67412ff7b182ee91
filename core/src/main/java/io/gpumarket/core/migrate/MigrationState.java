package io.gpumarket.core.migrate;

/**
 * Where one migration of a stopped instance to another machine stands (issue 23, docs/migrate.md). The instance
 * is whole on its old machine in every state but {@link #DONE}; only {@link #DONE} moves it.
 */
public enum MigrationState {
    /** The destination's GPUs are held for it; the source is being stopped (a running instance) or is stopped. */
    RESERVED,
    /** The stopped instance's disk is going agent to agent to the destination. */
    COPYING,
    /** The copy is complete and checked; the instance is being started on the destination. */
    STARTING,
    /** Started on the destination: the old contract ended at that instant, the old disk may go. */
    DONE,
    /** Given up before the start succeeded: the instance stays on its old machine as it was. */
    ROLLED_BACK;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public boolean ended() {
        return this == DONE || this == ROLLED_BACK;
    }
}
