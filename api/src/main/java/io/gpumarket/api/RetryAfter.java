package io.gpumarket.api;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A server's {@code Retry-After} (RFC 9110 §10.2.3) on 429 (a rate limit) and 503 (shedding load): how long this
 * client waits before asking again. Both answers mean the request was refused before anything was done, so
 * every method may be sent again. The wait is capped ({@link #MAX}: a client that is told an hour gives up
 * instead) and spread by a little jitter, so that the many clients told "2 s" at once do not all return in the
 * same millisecond.
 */
public final class RetryAfter {
    /** The longest wait a client accepts; past it the refusal is reported instead. */
    public static final Duration MAX = Duration.ofSeconds(60);

    private RetryAfter() {}

    /** Whether a status, with a Retry-After, asks the client to come back later. */
    public static boolean retryable(int status) {
        return status == 429 || status == 503;
    }

    /** The header's delay: delta-seconds or an HTTP date; empty when absent or unreadable. */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) return Optional.empty();
        String h = header.trim();
        try {
            long seconds = Long.parseLong(h);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(h, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /**
     * How long to wait for a refusal that said {@code retryAfter}: that, plus up to a tenth more (at least 50 ms
     * of spread); empty when it is longer than {@link #MAX}.
     */
    public static Optional<Duration> pause(Duration retryAfter) {
        if (retryAfter == null || retryAfter.compareTo(MAX) > 0) return Optional.empty();
        long base = retryAfter.toMillis();
        long spread = Math.max(50, base / 10);
        return Optional.of(Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(spread + 1)));
    }

    /** The pause for an {@link ApiException} that may be retried after a wait; empty for any other refusal. */
    public static Optional<Duration> pause(ApiException e) {
        return retryable(e.status()) ? pause(e.retryAfter()) : Optional.empty();
    }

    /**
     * Runs {@code attempt} until it answers, waiting out each 429/503 refusal that carries a Retry-After (the
     * {@link #pause(ApiException)} of it), {@code attempts} tries in all; any other refusal, one past the cap, or
     * the last one is thrown. {@code waiting} hears of each wait before it starts (to log it or tell a person).
     */
    public static <T> T retrying(int attempts, Attempt<T> attempt, Waiting waiting)
            throws IOException, InterruptedException {
        for (int n = 1; ; n++) {
            try {
                return attempt.run();
            } catch (ApiException e) {
                Optional<Duration> pause = pause(e);
                if (pause.isEmpty() || n >= attempts) throw e;
                waiting.waiting(e, pause.get(), n + 1);
                Thread.sleep(pause.get());
            }
        }
    }

    /** One try of a call that a server may refuse with an {@link ApiException}. */
    @FunctionalInterface
    public interface Attempt<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Told of a wait before it starts: the refusal, how long, and the number of the attempt that follows. */
    @FunctionalInterface
    public interface Waiting {
        Waiting QUIETLY = (refusal, pause, nextAttempt) -> {};

        void waiting(ApiException refusal, Duration pause, int nextAttempt);
    }
}
