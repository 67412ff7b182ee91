package io.gpumarket.core.billing;

import java.time.Instant;

/** An instance's traffic over its whole life as known at {@code at}: the bytes its agent reported, summed over runs. */
public record TrafficSample(long id, long instanceId, Instant at, long rxBytes, long txBytes) {}
