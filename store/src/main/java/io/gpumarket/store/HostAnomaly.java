package io.gpumarket.store;

import java.time.Instant;

/**
 * A host's report the server could not believe, recorded against its machine (table {@code host_anomalies}):
 * repeats of one kind for one instance within an hour are one row, counted in {@code times}.
 *
 * @param kind         upload_beyond_link | download_beyond_link | counter_went_back ({@code TrafficClaims.Kind})
 * @param claimedBytes growth the agent claimed, in the latest repeat
 * @param billedBytes  growth billed instead, in the latest repeat
 */
public record HostAnomaly(
        long id,
        long machineId,
        Long instanceId,
        String kind,
        Instant firstAt,
        Instant lastAt,
        int times,
        long claimedBytes,
        long billedBytes,
        String detail) {}
