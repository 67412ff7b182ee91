package io.gpumarket.store;

import java.time.Instant;

/** An instance's actual status from {@code at} on (null: not reported; "destroyed": the contract ended). */
public record InstanceEvent(long instanceId, Instant at, String actualStatus) {}
