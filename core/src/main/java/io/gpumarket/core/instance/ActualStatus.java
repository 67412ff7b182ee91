package io.gpumarket.core.instance;

import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An instance's {@code actual_status} as the rules and the store hold it: the agent's half of "two fields, two
 * writers" (docs/architecture.md), beside {@link IntendedStatus}. The same constants, wire strings and database
 * values as the wire's {@code io.gpumarket.api.ActualStatus}: {@code core} cannot see {@code api} (nor {@code api}
 * {@code core}), so the server maps one to the other by name, and a server test fails if the two ever differ.
 */
public enum ActualStatus {
    CREATED("created", true),
    LOADING("loading", true),
    RUNNING("running", true),
    STOPPED("stopped", true),
    EXITED("exited", true),
    REBOOTING("rebooting", true),
    RECYCLING("recycling", true),
    FROZEN("frozen", true),
    /** A few heartbeats missed: computed when shown ({@link Liveness}), never stored. */
    UNKNOWN("unknown", false),
    /** A long silence: computed when shown ({@link Liveness}), never stored. */
    OFFLINE("offline", false),
    /** A bid that wants to run and has no GPUs yet: computed when shown, never stored. */
    SCHEDULING("scheduling", false);

    private static final Map<String, ActualStatus> BY_WIRE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ActualStatus::wire, Function.identity()));

    /** The statuses an agent may report, in declaration order. */
    public static final Set<ActualStatus> REPORTABLE = Collections.unmodifiableSet(Arrays.stream(values())
            .filter(ActualStatus::reportable)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(ActualStatus.class))));

    private final String wire;
    private final boolean reportable;

    ActualStatus(String wire, boolean reportable) {
        this.wire = wire;
        this.reportable = reportable;
    }

    /** The string on the wire and in the database. */
    public String wire() {
        return wire;
    }

    /** Whether an agent may report it (the others are the server's to compute). */
    public boolean reportable() {
        return reportable;
    }

    /** The status a wire string names (exact, lower case); empty for anything else, null included. */
    public static Optional<ActualStatus> fromWire(String wire) {
        return wire == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(wire));
    }

    @Override
    public String toString() {
        return wire;
    }
}
