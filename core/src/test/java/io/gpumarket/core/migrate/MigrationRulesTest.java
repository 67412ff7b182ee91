package io.gpumarket.core.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MigrationRulesTest {
    /** The fake clock: every step happens at an instant the test names. */
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    private static Instant at(long minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    private static Migration copying() {
        return MigrationRules.sourceStopped(Migration.requested(7, 1, 2, T0), at(1));
    }

    @Test
    void
            a_move_goes_reserved_copying_starting_done_moving_the_contract_at_the_copy_and_freeing_the_old_disk_when_done() {
        Migration m = Migration.requested(7, 1, 2, T0);
        assertThat(m.state()).isEqualTo(MigrationState.RESERVED);
        assertThat(MigrationRules.holdsDestination(m)).isTrue();

        m = MigrationRules.sourceStopped(m, at(1));
        m = MigrationRules.progress(m, at(3));
        assertThat(MigrationRules.oldContractEnds(m)).isEmpty();
        assertThat(MigrationRules.mayRemoveOldDisk(m)).isFalse();

        m = MigrationRules.copied(m, at(10));
        assertThat(m.state()).isEqualTo(MigrationState.STARTING);
        assertThat(MigrationRules.mayRemoveOldDisk(m)).isFalse();
        assertThat(MigrationRules.oldStorageChargedUntil(m)).contains(at(10));
        assertThat(MigrationRules.newChargesFrom(m)).contains(at(10));

        m = MigrationRules.started(m, at(12));
        assertThat(m.state()).isEqualTo(MigrationState.DONE);
        assertThat(MigrationRules.oldContractEnds(m)).contains(at(10));
        assertThat(MigrationRules.oldStorageChargedUntil(m)).contains(at(10));
        assertThat(MigrationRules.newChargesFrom(m)).contains(at(10));
        assertThat(MigrationRules.mayRemoveOldDisk(m)).isTrue();
        assertThat(MigrationRules.mustRemoveDestinationCopy(m)).isFalse();
    }

    @Test
    void steps_out_of_order_are_refused() {
        Migration m = Migration.requested(7, 1, 2, T0);
        assertThatThrownBy(() -> MigrationRules.copied(m, at(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> MigrationRules.started(copying(), at(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("while copying");
        assertThatThrownBy(() -> Migration.requested(7, 1, 1, T0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_failed_start_rolls_back_leaving_the_instance_and_its_contract_on_the_old_machine() {
        Migration m = MigrationRules.copied(copying(), at(5));
        m = MigrationRules.rollBack(m, "the destination could not start it", at(6));
        assertThat(m.state()).isEqualTo(MigrationState.ROLLED_BACK);
        assertThat(m.reason()).isEqualTo("the destination could not start it");
        assertThat(MigrationRules.oldContractEnds(m)).isEmpty();
        assertThat(MigrationRules.oldStorageChargedUntil(m)).isEmpty();
        assertThat(MigrationRules.newChargesFrom(m)).isEmpty();
        assertThat(MigrationRules.mayRemoveOldDisk(m)).isFalse();
        assertThat(MigrationRules.mustRemoveDestinationCopy(m)).isTrue();
        assertThat(MigrationRules.holdsDestination(m)).isFalse();
        Migration ended = m;
        assertThatThrownBy(() -> MigrationRules.rollBack(ended, "again", at(7)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_done_move_cannot_be_rolled_back() {
        Migration done = MigrationRules.started(MigrationRules.copied(copying(), at(5)), at(6));
        assertThatThrownBy(() -> MigrationRules.rollBack(done, "late", at(7)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(MigrationRules.mustRollBack(done, 0, at(60))).isEmpty();
    }

    @Test
    void a_source_silent_for_five_minutes_mid_copy_rolls_back_and_progress_resets_the_wait() {
        Migration m = MigrationRules.progress(copying(), at(2));
        assertThat(MigrationRules.mustRollBack(m, 1_000_000, at(6).plusSeconds(59)))
                .isEmpty();
        assertThat(MigrationRules.mustRollBack(m, 1_000_000, at(7)))
                .hasValueSatisfying(why -> assertThat(why).contains("sent nothing for 5 minutes", "retry later"));
        Migration moving = MigrationRules.progress(m, at(6));
        assertThat(MigrationRules.mustRollBack(moving, 1_000_000, at(10))).isEmpty();
        // a start in progress is not a silent copy, but a start that never comes is given up
        Migration starting = MigrationRules.copied(moving, at(7));
        assertThat(MigrationRules.mustRollBack(starting, 1_000_000, at(16))).isEmpty();
        assertThat(MigrationRules.mustRollBack(starting, 0, at(16))).isEmpty();
        assertThat(MigrationRules.mustRollBack(starting, 1_000_000, at(17)))
                .hasValueSatisfying(why -> assertThat(why).contains("did not report the instance running"));
    }

    @Test
    void credit_running_out_before_the_start_rolls_back() {
        assertThat(MigrationRules.mustRollBack(Migration.requested(7, 1, 2, T0), 0, T0))
                .hasValueSatisfying(why -> assertThat(why).contains("credit ran out"));
        assertThat(MigrationRules.mustRollBack(copying(), -5, at(2))).isPresent();
        assertThat(MigrationRules.mustRollBack(copying(), 1, at(2))).isEmpty();
    }

    @Test
    void a_running_source_is_stopped_after_the_notice_window_when_the_server_has_one_and_at_once_otherwise() {
        assertThat(MigrationRules.stopAt(true, Duration.ofMinutes(2), T0)).contains(at(2));
        assertThat(MigrationRules.stopAt(true, Duration.ZERO, T0)).isEmpty();
        assertThat(MigrationRules.stopAt(true, null, T0)).isEmpty();
        assertThat(MigrationRules.stopAt(false, Duration.ofMinutes(2), T0))
                .as("a stopped source has nothing to be told")
                .isEmpty();
    }

    @Test
    void with_a_notice_the_source_runs_until_its_stop_time_then_is_stopped_and_the_copy_waits_for_its_agent() {
        Migration m = Migration.requested(7, 1, 2, T0, at(2));
        assertThat(MigrationRules.inNotice(m, T0)).isTrue();
        assertThat(MigrationRules.source(m, true, true, at(1))).isEqualTo(MigrationRules.SourceStep.RUN_OUT_NOTICE);
        assertThat(MigrationRules.inNotice(m, at(2))).isFalse();
        assertThat(MigrationRules.source(m, true, true, at(2))).isEqualTo(MigrationRules.SourceStep.STOP_NOW);
        assertThat(MigrationRules.source(m, false, true, at(2))).isEqualTo(MigrationRules.SourceStep.STOPPING);
        assertThat(MigrationRules.source(m, false, false, at(3))).isEqualTo(MigrationRules.SourceStep.COPY);
        // a restart between the stop time and the stop: it is stopped then, not given up
        assertThat(MigrationRules.source(m, true, true, at(30))).isEqualTo(MigrationRules.SourceStep.STOP_NOW);
        Migration copying = MigrationRules.sourceStopped(m, at(3));
        assertThat(copying.stopAt()).as("the stop time is kept as history").isEqualTo(at(2));
        assertThat(MigrationRules.inNotice(copying, at(1))).isFalse();
    }

    @Test
    void an_owner_stopping_it_during_the_notice_lets_the_copy_begin_at_once() {
        Migration m = Migration.requested(7, 1, 2, T0, at(2));
        assertThat(MigrationRules.source(m, false, false, at(1))).isEqualTo(MigrationRules.SourceStep.COPY);
    }

    @Test
    void without_a_notice_the_request_stopped_it_so_an_intent_to_run_is_its_owners_start_and_gives_up() {
        Migration m = Migration.requested(7, 1, 2, T0);
        assertThat(MigrationRules.inNotice(m, T0)).isFalse();
        assertThat(MigrationRules.source(m, true, true, T0)).isEqualTo(MigrationRules.SourceStep.STARTED_AGAIN);
        assertThat(MigrationRules.source(m, false, true, T0)).isEqualTo(MigrationRules.SourceStep.STOPPING);
        assertThat(MigrationRules.source(m, false, false, T0)).isEqualTo(MigrationRules.SourceStep.COPY);
        assertThatThrownBy(() -> MigrationRules.source(copying(), false, false, at(2)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_cancel_during_the_notice_ends_it() {
        Migration m = MigrationRules.rollBack(Migration.requested(7, 1, 2, T0, at(2)), "canceled by its owner", at(1));
        assertThat(MigrationRules.inNotice(m, at(1))).isFalse();
    }
}
