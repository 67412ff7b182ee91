package io.gpumarket.core.offer;

import java.util.Locale;
import java.util.Optional;

/** Which price a search shows (the DSL's {@code type}): the on-demand price, the minimum bid, or reserved terms. */
public enum PriceType {
    ON_DEMAND("on-demand"),
    BID("bid"),
    RESERVED("reserved");

    private final String wire;

    PriceType(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /**
     * Every spelling clients send: {@code on-demand} (CLI, SDK), {@code ondemand} (the docs' enum), {@code bid},
     * {@code interruptible} (normally rewritten to bid by the CLI, but raw clients send it), {@code reserved};
     * case does not matter. Empty for anything else.
     */
    public static Optional<PriceType> fromWire(String s) {
        if (s == null) return Optional.empty();
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "on-demand", "ondemand" -> Optional.of(ON_DEMAND);
            case "bid", "interruptible" -> Optional.of(BID);
            case "reserved" -> Optional.of(RESERVED);
            default -> Optional.empty();
        };
    }
}
