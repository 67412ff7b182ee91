package io.gpumarket.core.billing;

/**
 * One charge item of a contract over a stretch of time, as Vast lists it under an instance's charges.
 *
 * @param type        gpu | disk | bwu | bwd
 * @param amount      micro-dollars
 * @param quantity    hours (gpu), GB-months (disk) or GB (bwu, bwd)
 * @param rate        micro-dollars per unit of quantity
 * @param description e.g. "96.000 hours at $0.389/hour"
 */
public record ItemCharge(String type, long amount, double quantity, long rate, String description) {}
