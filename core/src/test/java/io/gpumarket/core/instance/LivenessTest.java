package io.gpumarket.core.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LivenessTest {
    static final Liveness DEFAULTS = new Liveness(Duration.ofSeconds(10), 3, Duration.ofMinutes(2));
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void the_agents_word_stands_for_three_heartbeats_then_unknown_then_offline() {
        assertThat(DEFAULTS.shown(ActualStatus.RUNNING, T0, T0.plusSeconds(30))).isEqualTo(ActualStatus.RUNNING);
        assertThat(DEFAULTS.shown(ActualStatus.RUNNING, T0, T0.plusSeconds(31))).isEqualTo(ActualStatus.UNKNOWN);
        assertThat(DEFAULTS.shown(ActualStatus.RUNNING, T0, T0.plusSeconds(119)))
                .isEqualTo(ActualStatus.UNKNOWN);
        assertThat(DEFAULTS.shown(ActualStatus.RUNNING, T0, T0.plusSeconds(120)))
                .isEqualTo(ActualStatus.OFFLINE);
        assertThat(DEFAULTS.shown(null, T0, T0.plusSeconds(5))).isNull();
    }

    @Test
    void presence_ends_where_unknown_begins() {
        assertThat(DEFAULTS.present(T0, T0.plusSeconds(30))).isTrue();
        assertThat(DEFAULTS.present(T0, T0.plusSeconds(31))).isFalse();
        assertThat(DEFAULTS.present(null, T0)).isFalse();
    }

    @Test
    void an_offline_threshold_inside_the_unknown_one_is_refused_at_start() {
        assertThatThrownBy(() -> new Liveness(Duration.ofSeconds(10), 3, Duration.ofSeconds(30)))
                .hasMessageContaining("offline threshold");
        assertThatThrownBy(() -> new Liveness(Duration.ZERO, 3, Duration.ofMinutes(2)))
                .hasMessageContaining("heartbeat");
        assertThatThrownBy(() -> new Liveness(Duration.ofSeconds(10), 0, Duration.ofMinutes(2)))
                .hasMessageContaining("at least 1");
    }
}
