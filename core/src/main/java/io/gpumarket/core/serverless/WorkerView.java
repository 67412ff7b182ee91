package io.gpumarket.core.serverless;

import java.time.Instant;

/**
 * One worker as the scaling rules read it.
 *
 * @param load      the workload in flight on it (requests routed and not yet reported done, in cost units)
 * @param perf      its measured throughput (workload units per second, from the worker library's benchmark); 0
 *                  while unknown
 * @param idleSince when it last had nothing in flight (when it became ready, for one never used); null while busy
 * @param error     what it reported or why it is counted failed; null otherwise
 */
public record WorkerView(long id, WorkerState state, double load, double perf, Instant idleSince, String error) {}
