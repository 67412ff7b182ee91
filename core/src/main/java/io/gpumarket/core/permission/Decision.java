package io.gpumarket.core.permission;

/** Whether a key may call a route; when not, {@code reason} names what it lacks. */
public record Decision(boolean allowed, String reason) {
    public static Decision allow() {
        return new Decision(true, null);
    }

    public static Decision deny(String reason) {
        return new Decision(false, reason);
    }
}
