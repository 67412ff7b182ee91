package io.gpumarket.core.market;

import java.time.Instant;

/**
 * The market at one instant for one group of machines (GPU model, verified, datacenter, GPU-count bucket): GPUs
 * rented and available, and the prices each stands at ({@link PriceDistribution#text()}).
 */
public record MarketSnapshot(
        Instant takenAt,
        String gpuName,
        boolean verified,
        boolean datacenter,
        int bucket,
        int rented,
        int available,
        String rentedPrices,
        String availPrices) {}
