package io.gpumarket.api.host;

/**
 * Vast's {@code PUT /api/v0/machines/create_asks/} body (the CLI's {@code list machine}): prices in dollars,
 * {@code price_gpu} and {@code price_min_bid} per GPU per hour, {@code price_disk} per GB per month,
 * {@code price_inetu}/{@code price_inetd} per GB; {@code end_date} epoch seconds, or a rolling {@code duration}
 * ("3 days", "2 weeks", or seconds). Unset options arrive as null.
 */
public record ListMachineRequest(
        Long machine,
        Double priceGpu,
        Double priceDisk,
        Double priceInetu,
        Double priceInetd,
        Double priceMinBid,
        Integer minChunk,
        Double endDate,
        Double creditDiscountMax,
        Object duration) {}
