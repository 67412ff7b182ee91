package io.gpumarket.server.billing;

import java.time.Instant;

/**
 * What one metering tick did.
 *
 * @param from      the watermark it started from
 * @param to        the watermark it left (equal to {@code from} when there was nothing to do)
 * @param contracts contracts it metered
 * @param postings  ledger entries it appended
 * @param charged   micro-dollars charged to renters in all
 * @param earned    micro-dollars credited to hosts in all, before the platform fee
 * @param fees      micro-dollars of platform fee taken from hosts in all
 * @param stopped   instances it stopped because their owners' credit ran out
 * @param destroyed instances it destroyed after the operator's grace period
 */
public record Tick(
        Instant from,
        Instant to,
        int contracts,
        int postings,
        long charged,
        long earned,
        long fees,
        int stopped,
        int destroyed) {}
