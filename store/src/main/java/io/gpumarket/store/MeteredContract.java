package io.gpumarket.store;

import io.gpumarket.core.billing.ContractTerms;
import io.gpumarket.core.billing.Lifetime;
import io.gpumarket.core.instance.ContractPrices;
import java.time.Instant;

/**
 * A contract as billing reads it: who pays, which machine and host earn, its terms frozen at rent, and when it
 * existed.
 *
 * @param destroyedAt null while it lives
 */
public record MeteredContract(
        long id,
        long ownerId,
        long machineId,
        long hostId,
        int numGpus,
        double diskGb,
        ContractPrices prices,
        int platformFeePpm,
        Instant createdAt,
        Instant destroyedAt,
        String label) {
    public ContractTerms terms() {
        return ContractTerms.of(numGpus, diskGb, prices, platformFeePpm);
    }

    public Lifetime lifetime() {
        return new Lifetime(createdAt, destroyedAt);
    }
}
