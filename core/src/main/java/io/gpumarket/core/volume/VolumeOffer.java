package io.gpumarket.core.volume;

import java.time.Instant;

/**
 * Disk space a host offers for volumes on one machine: rented volumes take from {@code sizeGb} until it is used up.
 *
 * @param pricePerGbMonth micro-dollars per GB per month, what new volumes freeze
 * @param usedGb          what the machine's live volumes of this offer take
 * @param endDate         when the offer ends, or null
 */
public record VolumeOffer(long id, long machineId, long sizeGb, long pricePerGbMonth, Instant endDate, long usedGb) {
    public long freeGb() {
        return Math.max(0, sizeGb - usedGb);
    }
}
