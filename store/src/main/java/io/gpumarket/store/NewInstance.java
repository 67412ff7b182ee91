package io.gpumarket.store;

import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Launch;
import java.util.Map;

/**
 * What renting writes for a new instance; the store adds the id, revision 1, no agent state, and the times.
 *
 * @param platformFeePpm the platform's cut of what the contract pays, in millionths, frozen with its prices
 * (No API key: an instance's own key is derived from a server secret and only its hash is stored, in api_keys.)
 *
 * @param bid            an interruptible contract: {@code prices.gpuPerHour()} is its bid per GPU-hour; it starts
 *                       without GPUs (idle) until the bid arbiter gives it some
 */
public record NewInstance(
        long ownerId,
        long machineId,
        long offerId,
        int numGpus,
        Launch launch,
        String label,
        double diskGb,
        IntendedStatus intendedStatus,
        int sshPort,
        Map<String, Integer> ports,
        ContractPrices prices,
        int platformFeePpm,
        boolean bid) {

    /** An on-demand contract. */
    public NewInstance(
            long ownerId,
            long machineId,
            long offerId,
            int numGpus,
            Launch launch,
            String label,
            double diskGb,
            IntendedStatus intendedStatus,
            int sshPort,
            Map<String, Integer> ports,
            ContractPrices prices,
            int platformFeePpm) {
        this(
                ownerId,
                machineId,
                offerId,
                numGpus,
                launch,
                label,
                diskGb,
                intendedStatus,
                sshPort,
                ports,
                prices,
                platformFeePpm,
                false);
    }

    /** A contract the platform takes no cut of. */
    public NewInstance(
            long ownerId,
            long machineId,
            long offerId,
            int numGpus,
            Launch launch,
            String label,
            double diskGb,
            IntendedStatus intendedStatus,
            int sshPort,
            Map<String, Integer> ports,
            ContractPrices prices) {
        this(
                ownerId,
                machineId,
                offerId,
                numGpus,
                launch,
                label,
                diskGb,
                intendedStatus,
                sshPort,
                ports,
                prices,
                0,
                false);
    }
}
