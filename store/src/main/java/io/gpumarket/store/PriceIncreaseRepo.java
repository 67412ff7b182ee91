package io.gpumarket.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Pending price increases (docs/billing.md "Price increases need consent"): a host's raise of a listed machine's GPU
 * price, one row per running on-demand contract of that machine, waiting for the contract's owner to accept or reject
 * it. Money in micro-dollars.
 */
public interface PriceIncreaseRepo {
    /** The statuses a row goes through: pending, then accepted, rejected, or superseded by a newer raise. */
    String PENDING = "pending";

    String ACCEPTED = "accepted";
    String REJECTED = "rejected";
    String SUPERSEDED = "superseded";

    /**
     * One increase. Disk and bandwidth prices of a running contract never change (only its GPU price does, on
     * acceptance), so both sides of them are the contract's frozen prices.
     *
     * @param id 0 before it is stored
     */
    record PriceIncrease(
            long id,
            long instanceId,
            long ownerId,
            long hostId,
            long oldGpuPrice,
            long newGpuPrice,
            long diskPrice,
            long inetUpPrice,
            long inetDownPrice,
            int platformFeePpm,
            long contractEndDate,
            long askEndDate,
            String status,
            Instant createdAt,
            Instant decidedAt) {}

    /**
     * Stores a new pending increase (its {@code platformFeePpm} is taken from the contract), marking the instance's
     * earlier pending one superseded; answers it with its id.
     */
    PriceIncrease offer(PriceIncrease increase);

    /** The owner's pending increases of contracts still live, oldest first, at most {@code limit}. */
    List<PriceIncrease> pendingOf(long ownerId, int limit);

    Optional<PriceIncrease> find(long id);

    /** Moves a pending row to {@code status} at {@code now}; false when it is no longer pending. */
    boolean decide(long id, String status, Instant now);
}
