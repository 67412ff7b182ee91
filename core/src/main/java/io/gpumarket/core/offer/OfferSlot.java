package io.gpumarket.core.offer;

/**
 * One rentable bundle of a machine under a single-use id. Renting it consumes the id; what capacity remains
 * is offered again under fresh ids.
 */
public record OfferSlot(long id, long machineId, int numGpus) {}
