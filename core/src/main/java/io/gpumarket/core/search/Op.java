package io.gpumarket.core.search;

import java.util.Optional;

/** The DSL's comparison operators (docs/vast-compatibility.md §d.1), by their wire names. */
public enum Op {
    EQ("eq"),
    NEQ("neq"),
    GT("gt"),
    GTE("gte"),
    LT("lt"),
    LTE("lte"),
    IN("in"),
    NOTIN("notin");

    private final String wire;

    Op(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** in and notin take a list; the others one value. */
    public boolean takesList() {
        return this == IN || this == NOTIN;
    }

    public static Optional<Op> fromWire(String s) {
        for (Op op : values()) {
            if (op.wire.equals(s)) return Optional.of(op);
        }
        return Optional.empty();
    }
}
