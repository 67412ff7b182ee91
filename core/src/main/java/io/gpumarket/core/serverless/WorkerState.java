package io.gpumarket.core.serverless;

/** Where a worker (an instance the autoscaler rented for an endpoint) stands, as the autoscaler sees it. */
public enum WorkerState {
    /** Rented and meant to run, its worker library not yet heard from: the image is pulled, the model loads. */
    LOADING,
    /** Running, its model loaded (the worker library reported a load time) and reporting: routable. */
    READY,
    /** Rented and stopped ("cold"): no GPU time charged, started again when load comes. */
    STOPPED,
    /** Its worker library reported an error, or the instance failed or went silent: replaced. */
    ERRORED;

    /** The word the worker lists show ({@code get endpoint workers}). */
    public String wire() {
        return switch (this) {
            case LOADING -> "loading";
            case READY -> "idle";
            case STOPPED -> "stopped";
            case ERRORED -> "error";
        };
    }
}
