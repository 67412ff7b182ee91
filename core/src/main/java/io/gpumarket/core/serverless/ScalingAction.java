package io.gpumarket.core.serverless;

/**
 * One thing the autoscaler does to an endpoint's workers, with the sentence its log shows.
 *
 * @param workerId the worker acted on; 0 for {@link Kind#RENT}
 */
public record ScalingAction(Kind kind, long workerId, String reason) {
    public enum Kind {
        /** Rent a new worker from the endpoint's worker groups. */
        RENT,
        /** Start a stopped (cold) worker. */
        START,
        /** Stop an idle worker, keeping it rented as a cold one. */
        STOP,
        /** Destroy a worker (idle beyond the cold target, failed, or beyond max_workers). */
        DESTROY
    }
}
