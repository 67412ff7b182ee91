package io.gpumarket.store;

import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Launch;
import java.util.Map;

/**
 * What renting writes for a new instance; the store adds the id, revision 1, no agent state, and the times.
 *
 * @param platformFeePpm the platform's cut of what the contract pays, in millionths, frozen with its prices
 */
public record NewInstance(long ownerId, long machineId, long offerId, int numGpus, Launch launch, String label,
                          double diskGb, IntendedStatus intendedStatus, int sshPort, Map<String, Integer> ports,
                          String containerApiKey, ContractPrices prices, int platformFeePpm) {

    /** A contract the platform takes no cut of. */
    public NewInstance(long ownerId, long machineId, long offerId, int numGpus, Launch launch, String label, double diskGb,
                       IntendedStatus intendedStatus, int sshPort, Map<String, Integer> ports, String containerApiKey,
                       ContractPrices prices) {
        this(ownerId, machineId, offerId, numGpus, launch, label, diskGb, intendedStatus, sshPort, ports, containerApiKey,
                prices, 0);
    }
}
