package io.gpumarket.core.bid;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.bid.BidState.Phase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BidPhasesTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void a_new_bid_that_wins_holds_and_one_that_loses_is_scheduling() {
        assertThat(BidPhases.next(BidState.fresh(), Verdict.HOLDS, Duration.ZERO, T, false)
                        .phase())
                .isEqualTo(Phase.HOLDING);
        BidState s = BidPhases.next(BidState.fresh(), Verdict.OUTBID, Duration.ZERO, T, false);
        assertThat(s.phase()).isEqualTo(Phase.SCHEDULING);
        assertThat(s.reason()).isEqualTo("outbid");
        assertThat(s.lastReason()).as("never preempted").isNull();
    }

    @Test
    void losing_held_gpus_preempts_at_once_and_records_the_reason() {
        BidState s = BidPhases.next(BidState.HOLDS, Verdict.DISPLACED_BY_ON_DEMAND, Duration.ZERO, T, false);
        assertThat(s.phase()).isEqualTo(Phase.PREEMPTED);
        assertThat(s.reason()).isEqualTo("displaced by on-demand");
        BidState back = BidPhases.next(s, Verdict.HOLDS, Duration.ZERO, T.plusSeconds(60), false);
        assertThat(back.phase()).isEqualTo(Phase.HOLDING);
        assertThat(back.lastReason()).isEqualTo("displaced by on-demand");
        assertThat(back.lastAt()).isEqualTo(T);
    }

    @Test
    void a_notice_window_keeps_it_running_until_it_ends() {
        BidState s = BidPhases.next(BidState.HOLDS, Verdict.OUTBID, Duration.ofSeconds(30), T, false);
        assertThat(s.phase()).isEqualTo(Phase.NOTICE);
        assertThat(s.mayRun()).isTrue();
        assertThat(s.noticeUntil()).isEqualTo(T.plusSeconds(30));
        assertThat(BidPhases.next(s, Verdict.OUTBID, Duration.ofSeconds(30), T.plusSeconds(29), false)
                        .phase())
                .isEqualTo(Phase.NOTICE);
        assertThat(BidPhases.next(s, Verdict.OUTBID, Duration.ofSeconds(30), T.plusSeconds(30), false)
                        .phase())
                .isEqualTo(Phase.PREEMPTED);
        assertThat(BidPhases.next(s, Verdict.HOLDS, Duration.ofSeconds(30), T.plusSeconds(5), false)
                        .phase())
                .as("won back during the notice")
                .isEqualTo(Phase.HOLDING);
    }

    @Test
    void a_winner_without_gpus_waits_while_another_bid_runs_out_its_notice() {
        BidState s = BidPhases.next(BidState.fresh(), Verdict.HOLDS, Duration.ofSeconds(30), T, true);
        assertThat(s.phase()).isEqualTo(Phase.SCHEDULING);
        assertThat(s.mayRun()).isFalse();
        assertThat(BidPhases.next(s, Verdict.HOLDS, Duration.ofSeconds(30), T.plusSeconds(30), false)
                        .phase())
                .isEqualTo(Phase.HOLDING);
    }

    @Test
    void stopping_makes_it_idle_whatever_it_was() {
        for (Phase p : Phase.values()) {
            BidState s = new BidState(p, null, null, p == Phase.NOTICE ? T : null, null, null);
            assertThat(BidPhases.next(s, Verdict.IDLE, Duration.ZERO, T, false).phase())
                    .isEqualTo(Phase.IDLE);
        }
    }
}
