package io.gpumarket.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyExpiryTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void no_expiry_asked_means_none_or_the_creators() {
        assertThat(KeyExpiry.resolve(null, null, null, NOW)).isNull();
        assertThat(KeyExpiry.resolve(null, null, NOW.plusSeconds(60), NOW)).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void ttl_counts_from_now_and_expires_at_is_absolute() {
        assertThat(KeyExpiry.resolve(null, 3600.0, null, NOW)).isEqualTo(NOW.plusSeconds(3600));
        assertThat(KeyExpiry.resolve((double) NOW.getEpochSecond() + 10, null, null, NOW))
                .isEqualTo(NOW.plusSeconds(10));
    }

    @Test
    void a_key_cannot_outlive_its_creator() {
        assertThatThrownBy(() -> KeyExpiry.resolve(null, 120.0, NOW.plusSeconds(60), NOW))
                .hasMessageContaining("cannot outlive the key that creates it");
        assertThat(KeyExpiry.resolve(null, 30.0, NOW.plusSeconds(60), NOW)).isEqualTo(NOW.plusSeconds(30));
    }

    @Test
    void past_times_fractions_and_both_forms_together_are_refused() {
        assertThatThrownBy(() -> KeyExpiry.resolve((double) NOW.getEpochSecond(), null, null, NOW))
                .hasMessageContaining("in the future");
        assertThatThrownBy(() -> KeyExpiry.resolve(null, 1.5, null, NOW)).hasMessageContaining("whole number");
        assertThatThrownBy(() -> KeyExpiry.resolve(null, 0.0, null, NOW)).hasMessageContaining("from 1");
        assertThatThrownBy(() -> KeyExpiry.resolve(1e12, 10.0, null, NOW)).hasMessageContaining("not both");
    }
}
