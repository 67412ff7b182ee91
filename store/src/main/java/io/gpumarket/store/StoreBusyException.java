package io.gpumarket.store;

import java.time.Duration;

/**
 * The store's write queue is full: the write was not attempted (nothing was changed), and the caller should try again
 * after {@link #retryAfter()}. Shedding a write at once is better than queueing it for longer than a client waits:
 * the server keeps answering, and a client that backs off lets the queue drain.
 */
public class StoreBusyException extends RuntimeException {
    private final Duration retryAfter;

    public StoreBusyException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** How long the caller should wait before trying again (whole seconds, at least one). */
    public Duration retryAfter() {
        return retryAfter;
    }
}
