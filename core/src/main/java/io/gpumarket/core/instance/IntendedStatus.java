package io.gpumarket.core.instance;

import java.util.Locale;
import java.util.Optional;

/** What the renter wants an instance to be: the server's half of "two fields, two writers". */
public enum IntendedStatus {
    RUNNING,
    STOPPED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "running" or "stopped" (any case); empty for anything else. */
    public static Optional<IntendedStatus> fromWire(String s) {
        if (s == null) return Optional.empty();
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "running" -> Optional.of(RUNNING);
            case "stopped" -> Optional.of(STOPPED);
            default -> Optional.empty();
        };
    }
}
