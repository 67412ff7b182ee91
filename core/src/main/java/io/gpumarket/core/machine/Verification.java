package io.gpumarket.core.machine;

import java.util.Locale;

/** A machine's verification state, set by operators; shown as {@code verification} and tested by {@code verified}. */
public enum Verification {
    UNVERIFIED,
    VERIFIED,
    DEVERIFIED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Vast's numeric {@code vericode}: 1 for verified, 0 otherwise (the virtual {@code verified} filter reads it). */
    public int vericode() {
        return this == VERIFIED ? 1 : 0;
    }

    public static Verification parse(String s) {
        for (Verification v : values()) {
            if (v.wire().equalsIgnoreCase(s)) return v;
        }
        throw new IllegalArgumentException(
                "unknown verification '" + s + "' (expected unverified, verified or deverified)");
    }
}
