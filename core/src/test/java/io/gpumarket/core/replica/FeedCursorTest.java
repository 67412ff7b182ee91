package io.gpumarket.core.replica;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedCursorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void rows_in_order_are_applied_once_and_move_the_position() {
        FeedCursor c = new FeedCursor(10, WAIT);
        assertThat(c.accept(List.of(11L, 12L, 13L), T0)).containsExactly(11L, 12L, 13L);
        assertThat(c.position()).isEqualTo(13);
        assertThat(c.accept(List.of(13L, 14L), T0)).containsExactly(14L);
        assertThat(c.position()).isEqualTo(14);
    }

    @Test
    void a_row_committed_late_below_newer_ones_is_applied_when_it_appears() {
        FeedCursor c = new FeedCursor(10, WAIT);
        // 11 is still in an open transaction when 12 and 13 are read
        assertThat(c.accept(List.of(12L, 13L), T0)).containsExactly(12L, 13L);
        assertThat(c.position()).isEqualTo(10);
        assertThat(c.holes()).isEqualTo(1);
        // the next read, from the position, sees 11 committed and 12, 13 again
        assertThat(c.accept(List.of(11L, 12L, 13L), T0.plusSeconds(1))).containsExactly(11L);
        assertThat(c.position()).isEqualTo(13);
        assertThat(c.holes()).isZero();
    }

    @Test
    void a_hole_is_waited_for_until_it_is_old_then_given_up() {
        FeedCursor c = new FeedCursor(10, WAIT);
        c.accept(List.of(12L), T0);
        assertThat(c.accept(List.of(12L), T0.plus(WAIT).minusMillis(1))).isEmpty();
        assertThat(c.position()).isEqualTo(10);
        // a rolled-back transaction's number never comes
        assertThat(c.accept(List.of(12L), T0.plus(WAIT))).isEmpty();
        assertThat(c.position()).isEqualTo(12);
        assertThat(c.holes()).isZero();
    }

    @Test
    void a_row_below_the_position_is_never_applied_again() {
        FeedCursor c = new FeedCursor(10, WAIT);
        assertThat(c.accept(List.of(5L, 10L, 11L), T0)).containsExactly(11L);
    }

    @Test
    void a_jump_far_past_the_position_is_not_waited_for_number_by_number() {
        FeedCursor c = new FeedCursor(0, WAIT);
        long far = FeedCursor.MAX_HOLES * 10L;
        assertThat(c.accept(List.of(far, far + 2), T0)).containsExactly(far, far + 2);
        assertThat(c.position()).isEqualTo(far);
        assertThat(c.holes()).isEqualTo(1);
    }
}
