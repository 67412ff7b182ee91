package io.gpumarket.agent.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpeedTestScheduleTest {
    @Test
    void each_wait_strays_at_most_a_quarter_of_the_interval_either_way() {
        Duration day = Duration.ofHours(24);

        assertThat(SpeedTestSchedule.jittered(day, 0.0)).isEqualTo(Duration.ofHours(18));
        assertThat(SpeedTestSchedule.jittered(day, 0.5)).isEqualTo(day);
        assertThat(SpeedTestSchedule.jittered(day, 0.999_999)).isBetween(Duration.ofHours(29), Duration.ofHours(30));
    }

    @Test
    void measurements_are_reported_round_after_round_and_failed_tests_report_nothing() {
        AtomicInteger tests = new AtomicInteger();
        List<SpeedTest.Result> reported = new CopyOnWriteArrayList<>();
        try (SpeedTestSchedule schedule = SpeedTestSchedule.start(
                Duration.ofMillis(20),
                () -> tests.incrementAndGet() % 2 == 0
                        ? Optional.empty()
                        : Optional.of(new SpeedTest.Result(tests.get(), 2.0 * tests.get())),
                reported::add)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> reported.size() >= 3);
            assertThat(schedule.running()).isTrue();
        }
        // every odd round measured, every even one failed and reported nothing
        assertThat(reported.subList(0, 3)).extracting(SpeedTest.Result::upMbps).containsExactly(1.0, 3.0, 5.0);
    }

    @Test
    void a_report_that_fails_does_not_end_the_schedule() {
        AtomicInteger attempts = new AtomicInteger();
        try (SpeedTestSchedule schedule =
                SpeedTestSchedule.start(Duration.ofMillis(10), () -> Optional.of(new SpeedTest.Result(1, 1)), r -> {
                    attempts.incrementAndGet();
                    throw new IllegalStateException("server unreachable");
                })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> attempts.get() >= 3);
            assertThat(schedule.running()).isTrue();
        }
    }

    @Test
    void an_interval_of_zero_tests_only_at_start_and_closing_stops_the_rounds() {
        AtomicInteger tests = new AtomicInteger();
        SpeedTestSchedule off = SpeedTestSchedule.start(
                Duration.ZERO,
                () -> {
                    tests.incrementAndGet();
                    return Optional.empty();
                },
                r -> {});
        assertThat(off.running()).isFalse();
        off.close();

        SpeedTestSchedule on = SpeedTestSchedule.start(
                Duration.ofMillis(5),
                () -> {
                    tests.incrementAndGet();
                    return Optional.empty();
                },
                r -> {});
        await().atMost(Duration.ofSeconds(10)).until(() -> tests.get() >= 2);
        on.close();
        assertThat(on.running()).isFalse();
    }
}
