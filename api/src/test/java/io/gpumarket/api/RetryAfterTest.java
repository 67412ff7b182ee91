package io.gpumarket.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
    private static final Instant NOW = Instant.parse("2026-12-06T23:00:00Z");

    @Test
    void retry_after_reads_seconds_or_an_http_date() {
        assertThat(RetryAfter.parse("18", NOW)).contains(Duration.ofSeconds(18));
        assertThat(RetryAfter.parse("Sun, 06 Dec 2026 23:00:30 GMT", NOW)).contains(Duration.ofSeconds(30));
        assertThat(RetryAfter.parse("Sun, 06 Dec 2026 22:00:00 GMT", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isEmpty();
        assertThat(RetryAfter.parse("-3", NOW)).isEmpty();
        assertThat(RetryAfter.parse(null, NOW)).isEmpty();
    }

    @Test
    void the_pause_is_the_servers_plus_at_most_a_tenth_and_nothing_past_a_minute() {
        for (int i = 0; i < 100; i++) {
            assertThat(RetryAfter.pause(Duration.ofSeconds(20)).orElseThrow())
                    .isBetween(Duration.ofSeconds(20), Duration.ofSeconds(22));
            assertThat(RetryAfter.pause(Duration.ZERO).orElseThrow()).isBetween(Duration.ZERO, Duration.ofMillis(50));
        }
        assertThat(RetryAfter.pause(Duration.ofSeconds(60))).isPresent();
        assertThat(RetryAfter.pause(Duration.ofSeconds(61))).isEmpty();
    }

    @Test
    void only_429_and_503_with_a_retry_after_ask_for_a_pause() {
        assertThat(RetryAfter.pause(new ApiException(429, "rate_limit_exceeded", "x", true, Duration.ofSeconds(1))))
                .isPresent();
        assertThat(RetryAfter.pause(new ApiException(503, "busy", "x", true, Duration.ofSeconds(1))))
                .isPresent();
        assertThat(RetryAfter.pause(new ApiException(429, "rate_limit_exceeded", "x", true, null)))
                .isEmpty();
        assertThat(RetryAfter.pause(new ApiException(500, "server_error", "x", true, Duration.ofSeconds(1))))
                .isEmpty();
    }
}
