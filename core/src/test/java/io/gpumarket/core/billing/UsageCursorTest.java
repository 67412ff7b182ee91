package io.gpumarket.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageCursorTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Lifetime ALIVE = new Lifetime(T0, null);

    static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    static StatusChange change(long id, int minute, String status) {
        return new StatusChange(id, 1, at(minute), status);
    }

    static long gpuMinutes(UsageCursor c) {
        return c.gpuMillis() / 60_000;
    }

    @Test
    void gpu_time_counts_only_while_running_not_while_loading_or_stopped() {
        List<StatusChange> changes = List.of(
                change(1, 0, "loading"), change(2, 10, "running"), change(3, 70, "stopped"), change(4, 100, "running"));
        UsageCursor c = UsageCursor.start(T0).advance(at(130), changes, List.of(), HostPresence.ALWAYS, ALIVE);
        assertThat(gpuMinutes(c)).isEqualTo(60 + 30);
        assertThat(c.usage(ALIVE).diskMillis())
                .as("storage for every minute it exists")
                .isEqualTo(130 * 60_000L);
    }

    @Test
    void gpu_time_stops_while_the_host_is_silent_and_resumes_when_it_returns() {
        List<StatusChange> changes = List.of(change(1, 0, "running"));
        HostPresence host = new HostPresence(List.of(new Silence(1, 7, at(20), at(35))), at(50));
        UsageCursor c = UsageCursor.start(T0).advance(at(60), changes, List.of(), host, ALIVE);
        assertThat(gpuMinutes(c)).isEqualTo(20 + 15);
    }

    @Test
    void advancing_in_steps_gives_the_usage_of_advancing_at_once() {
        List<StatusChange> changes = List.of(
                change(1, 3, "running"),
                change(2, 17, "stopped"),
                change(3, 29, "running"),
                change(4, 41, "destroyed"));
        Lifetime life = new Lifetime(T0, at(41));
        HostPresence host = new HostPresence(List.of(new Silence(1, 7, at(5), at(9))), null);
        UsageCursor whole = UsageCursor.start(T0).advance(at(60), changes, List.of(), host, life);
        UsageCursor step = UsageCursor.start(T0);
        for (int m = 1; m <= 60; m += 7) {
            Instant from = step.at();
            step = step.advance(
                    at(Math.min(60, m)),
                    changes.stream().filter(ch -> !ch.at().isBefore(from)).toList(),
                    List.of(),
                    host,
                    life);
        }
        step = step.advance(at(60), List.of(), List.of(), host, life);
        assertThat(step.usage(life)).isEqualTo(whole.usage(life));
        assertThat(gpuMinutes(whole)).isEqualTo((5 - 3) + (17 - 9) + (41 - 29));
        assertThat(whole.usage(life).diskMillis()).isEqualTo(41 * 60_000L);
    }

    @Test
    void traffic_is_the_latest_sample_at_or_before_the_instant() {
        List<TrafficSample> samples =
                List.of(new TrafficSample(1, 1, at(5), 100, 10), new TrafficSample(2, 1, at(9), 300, 30));
        UsageCursor c = UsageCursor.start(T0).advance(at(7), List.of(), samples, HostPresence.ALWAYS, ALIVE);
        assertThat(c.rxBytes()).isEqualTo(100);
        assertThat(c.advance(at(9), List.of(), samples, HostPresence.ALWAYS, ALIVE)
                        .txBytes())
                .isEqualTo(30);
    }

    @Test
    void overlapping_silences_are_subtracted_once() {
        HostPresence host =
                new HostPresence(List.of(new Silence(1, 7, at(10), at(30)), new Silence(2, 7, at(20), at(40))), at(35));
        assertThat(host.silentMillis(at(0).toEpochMilli(), at(60).toEpochMilli()))
                .isEqualTo(50 * 60_000L);
    }
}
