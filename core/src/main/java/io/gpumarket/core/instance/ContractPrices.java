package io.gpumarket.core.instance;

/**
 * The listing's prices on the day the instance was rented, frozen with it: a host changing prices later affects
 * new contracts only. Micro-dollars.
 *
 * @param gpuPerHour      per GPU per hour
 * @param diskPerGbMonth  per GB of the rented disk per month (720 hours)
 * @param endDate         epoch seconds until which the listing offered the machine (the contract's end_date)
 */
public record ContractPrices(long gpuPerHour, long diskPerGbMonth, long inetUpPerGb, long inetDownPerGb, long endDate) {
    public ContractPrices {
        if (gpuPerHour < 0 || diskPerGbMonth < 0 || inetUpPerGb < 0 || inetDownPerGb < 0) {
            throw new IllegalArgumentException("prices must not be negative");
        }
    }
}
