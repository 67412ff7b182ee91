package io.gpumarket.core.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.gpumarket.core.machine.HeartbeatHistory.Outage;
import io.gpumarket.core.machine.HeartbeatHistory.Start;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReliabilityTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final Duration SILENT_AFTER = Duration.ofSeconds(30);
    private static final ReliabilityPolicy DEFAULTS = ReliabilityPolicy.defaults();
    /** No decay to speak of and no prior: uptime is the plain fraction of watched time. */
    private static final ReliabilityPolicy PLAIN =
            new ReliabilityPolicy(Duration.ofDays(30), Duration.ofDays(100_000), Duration.ZERO, 0.9, 4);

    private static double of(ReliabilityPolicy p, HeartbeatHistory h, List<Start> starts) {
        return Reliability.of(p, h, starts, SILENT_AFTER, NOW);
    }

    private static HeartbeatHistory seenSince(Duration ago, Outage... outages) {
        return new HeartbeatHistory(NOW.minus(ago), NOW, List.of(outages));
    }

    private static Outage outage(Duration fromAgo, Duration toAgo) {
        return new Outage(NOW.minus(fromAgo), NOW.minus(toAgo));
    }

    @Test
    void a_machine_never_heard_from_shows_the_starting_value() {
        assertThat(of(DEFAULTS, HeartbeatHistory.never(), List.of())).isEqualTo(0.9);
    }

    @Test
    void a_new_machine_starts_at_the_starting_value_and_earns_trust_with_uptime() {
        double fresh = of(DEFAULTS, seenSince(Duration.ofSeconds(1)), List.of());
        double day = of(DEFAULTS, seenSince(Duration.ofDays(1)), List.of());
        double month = of(DEFAULTS, seenSince(Duration.ofDays(30)), List.of());
        double year = of(DEFAULTS, seenSince(Duration.ofDays(365)), List.of());
        assertThat(fresh).isCloseTo(0.9, within(1e-4));
        assertThat(day).isGreaterThan(fresh).isLessThan(month);
        assertThat(month).isGreaterThan(0.99).isLessThan(year);
        assertThat(year).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void without_decay_or_prior_uptime_is_the_share_of_watched_time_the_agent_was_heard() {
        var h = seenSince(Duration.ofHours(10), outage(Duration.ofHours(6), Duration.ofHours(5)));
        assertThat(of(PLAIN, h, List.of())).isCloseTo(0.9, within(1e-4));
    }

    @Test
    void an_ongoing_silence_counts_from_the_last_contact_plus_the_threshold_until_now() {
        var h = new HeartbeatHistory(
                NOW.minus(Duration.ofHours(10)), NOW.minus(Duration.ofHours(1)).minus(SILENT_AFTER), List.of());
        assertThat(of(PLAIN, h, List.of())).isCloseTo(0.9, within(1e-4));
    }

    @Test
    void a_silence_shorter_than_the_threshold_costs_nothing() {
        var h = new HeartbeatHistory(NOW.minus(Duration.ofHours(10)), NOW.minusSeconds(20), List.of());
        assertThat(of(PLAIN, h, List.of())).isEqualTo(1.0);
    }

    @Test
    void a_recent_outage_costs_more_than_the_same_outage_long_ago() {
        var recent = seenSince(Duration.ofDays(29), outage(Duration.ofHours(3), Duration.ofHours(2)));
        var old = seenSince(Duration.ofDays(29), outage(Duration.ofDays(20).plusHours(1), Duration.ofDays(20)));
        assertThat(of(DEFAULTS, recent, List.of())).isLessThan(of(DEFAULTS, old, List.of()));
    }

    @Test
    void history_older_than_the_window_does_not_count() {
        var longAgo = seenSince(Duration.ofDays(400), outage(Duration.ofDays(100), Duration.ofDays(40)));
        assertThat(of(DEFAULTS, longAgo, List.of())).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void recovery_is_gradual_the_longer_the_machine_stays_up_after_an_outage() {
        Instant down = NOW.minus(Duration.ofDays(10));
        ReliabilityPolicy p = DEFAULTS;
        double rightAfter = Reliability.of(
                p,
                new HeartbeatHistory(
                        NOW.minus(Duration.ofDays(60)),
                        down.plus(Duration.ofHours(12)),
                        List.of(new Outage(down, down.plus(Duration.ofHours(12))))),
                List.of(),
                SILENT_AFTER,
                down.plus(Duration.ofHours(12)));
        double weekLater = Reliability.of(
                p,
                new HeartbeatHistory(
                        NOW.minus(Duration.ofDays(60)),
                        down.plus(Duration.ofDays(7)),
                        List.of(new Outage(down, down.plus(Duration.ofHours(12))))),
                List.of(),
                SILENT_AFTER,
                down.plus(Duration.ofDays(7)));
        assertThat(rightAfter).isLessThan(weekLater).isLessThan(1.0);
    }

    @Test
    void failed_starts_lower_reliability_and_successful_ones_dilute_them() {
        var h = seenSince(Duration.ofDays(365));
        Start failed = new Start(NOW.minus(Duration.ofHours(1)), false);
        double oneFailure = of(DEFAULTS, h, List.of(failed));
        assertThat(oneFailure).isCloseTo(4.0 / 5.0, within(1e-3));
        List<Start> manyGood = new java.util.ArrayList<>(List.of(failed));
        for (int i = 0; i < 15; i++) manyGood.add(new Start(NOW.minus(Duration.ofHours(2 + i)), true));
        assertThat(of(DEFAULTS, h, manyGood)).isGreaterThan(oneFailure).isCloseTo(19.0 / 20.0, within(2e-3));
    }

    @Test
    void starts_outside_the_window_do_not_count() {
        var h = seenSince(Duration.ofDays(365));
        assertThat(of(DEFAULTS, h, List.of(new Start(NOW.minus(Duration.ofDays(31)), false))))
                .isCloseTo(1.0, within(1e-9));
    }

    @Test
    void reliability_stays_between_zero_and_one() {
        var allDown = new HeartbeatHistory(NOW.minus(Duration.ofDays(2)), NOW.minus(Duration.ofDays(2)), List.of());
        double r = of(PLAIN, allDown, List.of(new Start(NOW.minusSeconds(5), false)));
        assertThat(r).isBetween(0.0, 1.0).isLessThan(0.001);
    }
}
