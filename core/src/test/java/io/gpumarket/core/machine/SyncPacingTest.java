package io.gpumarket.core.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.instance.Liveness;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SyncPacingTest {
    /** The server's defaults: heartbeat 10 s, unknown after 3 missed beats, offline after 2 min; 700 syncs a second. */
    private static final SyncPacing DEFAULTS =
            SyncPacing.of(new Liveness(Duration.ofSeconds(10), 3, Duration.ofMinutes(2)), 700);

    @Test
    void a_small_fleet_is_held_as_agents_always_asked_six_tenths_of_the_heartbeat() {
        assertThat(DEFAULTS.baseHold()).isEqualTo(Duration.ofSeconds(6));
        assertThat(DEFAULTS.hold(1)).isEqualTo(Duration.ofSeconds(6));
        assertThat(DEFAULTS.hold(4_200)).as("4,200 / 6 s = 700 a second").isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void a_fleet_beyond_the_budget_is_held_longer_so_it_syncs_within_the_budget() {
        assertThat(DEFAULTS.hold(4_201)).isEqualTo(Duration.ofSeconds(7));
        Duration hold = DEFAULTS.hold(10_000);
        assertThat(hold).isEqualTo(Duration.ofSeconds(15));
        assertThat(10_000 / hold.toSeconds()).as("syncs a second").isLessThanOrEqualTo(700);
    }

    @Test
    void the_hold_never_passes_half_the_unknown_threshold_whatever_the_fleet() {
        assertThat(DEFAULTS.maxHold()).isEqualTo(Duration.ofSeconds(15));
        assertThat(DEFAULTS.hold(1_000_000)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void it_shortens_again_as_the_fleet_shrinks() {
        assertThat(DEFAULTS.hold(7_000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(DEFAULTS.hold(100)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void a_budget_of_zero_holds_every_fleet_for_the_base_hold() {
        SyncPacing fixed = SyncPacing.of(new Liveness(Duration.ofSeconds(10), 3, Duration.ofMinutes(2)), 0);
        assertThat(fixed.hold(100_000)).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void a_slow_heartbeat_keeps_its_own_longer_base() {
        SyncPacing slow = SyncPacing.of(new Liveness(Duration.ofMinutes(10), 3, Duration.ofHours(1)), 700);
        assertThat(slow.baseHold()).isEqualTo(Duration.ofMinutes(6));
        assertThat(slow.maxHold()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void nonsense_is_refused() {
        assertThatThrownBy(() -> new SyncPacing(Duration.ofSeconds(6), Duration.ofSeconds(5), 700))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncPacing(Duration.ofSeconds(6), Duration.ofSeconds(15), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
