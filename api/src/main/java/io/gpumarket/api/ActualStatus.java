package io.gpumarket.api;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An instance's {@code actual_status}: what its agent reports (the reportable ones), what the server computes when the
 * agent has gone quiet ({@code unknown}, {@code offline}), and {@code scheduling}, which the server shows for a bid
 * waiting for GPUs. The wire strings are Vast's and never change; JSON carries {@link #wire()} both ways, and a string
 * this enum does not know reads as a refusal of the field (an agent's report of it is a 400, never a guess).
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
    /** A few heartbeats missed: computed when shown, never stored. */
    UNKNOWN("unknown", false),
    /** A long silence: computed when shown, never stored. */
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
    @JsonValue
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
