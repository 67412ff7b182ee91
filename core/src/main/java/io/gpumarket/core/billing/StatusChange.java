package io.gpumarket.core.billing;

import java.time.Instant;

/**
 * An instance's actual status from {@code at} on, as its agent reported it ({@code destroyed} when the contract
 * ended), or, for a bid whose renter changed it, its GPU price from {@code at} on ({@code gpuPrice}, per GPU-hour;
 * {@code status} is then null and the status in force does not change). Ids order changes recorded at the same
 * millisecond.
 */
public record StatusChange(long id, long instanceId, Instant at, String status, Long gpuPrice) {
    public static final String RUNNING = "running";
    public static final String DESTROYED = "destroyed";

    public StatusChange(long id, long instanceId, Instant at, String status) {
        this(id, instanceId, at, status, null);
    }

    /** A changed bid rather than a change of status. */
    public boolean repricing() {
        return gpuPrice != null;
    }

    public boolean running() {
        return RUNNING.equals(status);
    }
}
