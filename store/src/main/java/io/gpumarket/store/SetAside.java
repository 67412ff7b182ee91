package io.gpumarket.store;

import java.time.Instant;

/**
 * A contract the meter could not price, set aside so the tick goes on for everyone else (table
 * {@code contracts_set_aside}).
 *
 * @param chargedTo the watermark it had been charged up to; nothing after it is charged
 * @param reason    what failed, for the operator
 */
public record SetAside(long instanceId, Instant at, Instant chargedTo, String reason) {}
