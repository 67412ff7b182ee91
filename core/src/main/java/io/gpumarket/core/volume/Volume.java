package io.gpumarket.core.volume;

import java.time.Instant;

/**
 * A rented volume (docs/volumes.md): storage of {@code sizeGb} on one machine, kept across instances, charged per
 * GB-second at the price frozen when it was rented, from {@code createdAt} to {@code deletedAt}.
 *
 * @param pricePerGbMonth micro-dollars per GB per month (720 hours), frozen at rent
 * @param deletedAt       null while it exists
 */
public record Volume(
        long id,
        long ownerId,
        long machineId,
        long offerId,
        String name,
        long sizeGb,
        long pricePerGbMonth,
        Instant createdAt,
        Instant deletedAt) {
    public boolean live() {
        return deletedAt == null;
    }

    /** Vast's name for a volume: {@code V.<id>}. */
    public String wireName() {
        return "V." + id;
    }
}
