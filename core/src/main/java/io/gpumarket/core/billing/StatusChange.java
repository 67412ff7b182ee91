package io.gpumarket.core.billing;

import java.time.Instant;

/**
 * An instance's actual status from {@code at} on, as its agent reported it ({@code destroyed} when the contract
 * ended). Ids order changes recorded at the same millisecond.
 */
public record StatusChange(long id, long instanceId, Instant at, String status) {
    public static final String RUNNING = "running";
    public static final String DESTROYED = "destroyed";

    public boolean running() {
        return RUNNING.equals(status);
    }
}
