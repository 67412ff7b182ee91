package io.gpumarket.core.replica;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.replica.LeaseRules.Held;
import io.gpumarket.core.replica.LeaseRules.Turn;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaseRulesTest {
    private static final Duration CONFIRM = Duration.ofSeconds(5);
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void a_replica_without_the_lease_tries_to_take_it_at_every_turn() {
        assertThat(LeaseRules.turn(Held.NOT, T0, CONFIRM)).isEqualTo(Turn.TRY_TO_TAKE);
        assertThat(LeaseRules.turn(Held.NOT, T0.plusSeconds(3600), CONFIRM)).isEqualTo(Turn.TRY_TO_TAKE);
    }

    @Test
    void a_leader_runs_without_asking_while_its_confirmation_is_younger_than_the_period() {
        Held held = LeaseRules.after(true, T0);
        assertThat(LeaseRules.turn(held, T0, CONFIRM)).isEqualTo(Turn.RUN);
        assertThat(LeaseRules.turn(held, T0.plus(CONFIRM).minusMillis(1), CONFIRM))
                .isEqualTo(Turn.RUN);
    }

    @Test
    void a_leader_whose_confirmation_is_old_asks_the_database_before_running() {
        Held held = LeaseRules.after(true, T0);
        assertThat(LeaseRules.turn(held, T0.plus(CONFIRM), CONFIRM)).isEqualTo(Turn.CONFIRM_THEN_RUN);
        assertThat(LeaseRules.turn(held, T0.plusSeconds(600), CONFIRM)).isEqualTo(Turn.CONFIRM_THEN_RUN);
    }

    @Test
    void a_failed_confirmation_makes_the_leader_a_follower_at_once() {
        Held lost = LeaseRules.after(false, T0.plusSeconds(6));
        assertThat(lost.held()).isFalse();
        assertThat(LeaseRules.turn(lost, T0.plusSeconds(6), CONFIRM)).isEqualTo(Turn.TRY_TO_TAKE);
    }

    @Test
    void a_confirmation_starts_a_new_period() {
        Held renewed = LeaseRules.after(true, T0.plusSeconds(5));
        assertThat(LeaseRules.turn(renewed, T0.plusSeconds(9), CONFIRM)).isEqualTo(Turn.RUN);
        assertThat(LeaseRules.turn(renewed, T0.plusSeconds(10), CONFIRM)).isEqualTo(Turn.CONFIRM_THEN_RUN);
    }

    @Test
    void a_clock_that_went_backwards_does_not_make_a_leader_ask_again() {
        Held held = LeaseRules.after(true, T0);
        assertThat(LeaseRules.turn(held, T0.minusSeconds(30), CONFIRM)).isEqualTo(Turn.RUN);
    }
}
