package io.gpumarket.store;

import io.gpumarket.core.billing.ReservedDeposit;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reserved instances' prepaid deposits ({@code instance_deposits}, V49_1); money in micro-dollars. */
public interface DepositRepo {
    /**
     * One contract's deposit.
     *
     * @param deposited all prepaid into it
     * @param monthsPpm what the last prepayment's whole deposit covered, in millionths of a month
     * @param refunded  what destroying the instance refunded; null while it lives
     */
    record Deposit(
            long instanceId,
            long ownerId,
            ReservedDeposit state,
            long deposited,
            long monthsPpm,
            Long refunded,
            Instant createdAt) {}

    Optional<Deposit> find(long instanceId);

    /** Stores the deposit (new or changed). */
    void save(Deposit d, Instant now);

    /** Deposits with something left, of these contracts (the meter's read). */
    Map<Long, Deposit> funded(Collection<Long> instanceIds);

    /** Contracts of these owners whose deposit has something left (they run on it without credit). */
    Set<Long> fundedOf(Collection<Long> ownerIds);
}
