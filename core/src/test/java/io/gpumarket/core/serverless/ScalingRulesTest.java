package io.gpumarket.core.serverless;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.serverless.ScalingAction.Kind;
import io.gpumarket.core.serverless.ScalingRules.Plan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingRulesTest {
    private static final Duration GRACE = Duration.ofSeconds(30);
    /** The fake clock: every decision is taken at an instant the test names. */
    private static final Instant T0 = Instant.parse("2026-12-07T09:00:00Z");

    private static EndpointSettings settings(int cold, int max) {
        return EndpointSettings.DEFAULTS.with(
                Map.of("cold_workers", cold, "max_workers", max, "cold_mult", 1.0, "target_util", 0.5));
    }

    private static WorkerView ready(long id, double load, double perf, Instant idleSince) {
        return new WorkerView(id, WorkerState.READY, load, perf, idleSince, null);
    }

    private static WorkerView stopped(long id) {
        return new WorkerView(id, WorkerState.STOPPED, 0, 200, null, null);
    }

    private static List<Kind> kinds(Plan p) {
        return p.actions().stream().map(ScalingAction::kind).toList();
    }

    @Test
    void an_idle_endpoint_with_no_workers_rents_its_cold_workers() {
        Plan p = ScalingRules.decide(settings(2, 5), List.of(), 0, 0, 10, GRACE, T0);
        assertThat(kinds(p)).containsExactly(Kind.RENT, Kind.RENT);
        assertThat(p.actions().get(0).reason()).contains("cold target 2");
    }

    @Test
    void load_beyond_target_util_starts_stopped_workers_first_then_rents() {
        // 1 ready worker of 200/s at target_util 0.5 carries 100; 450 in flight needs 5 hot workers
        List<WorkerView> w = List.of(ready(1, 450, 200, null), stopped(2));
        Plan p = ScalingRules.decide(settings(1, 10), w, 450, 0, 10, GRACE, T0);
        assertThat(kinds(p)).containsExactly(Kind.START, Kind.RENT, Kind.RENT, Kind.RENT, Kind.RENT);
        assertThat(p.actions().get(0).workerId()).isEqualTo(2);
        assertThat(p.actions().get(0).reason()).contains("load 450 needs 5 hot workers");
    }

    @Test
    void waiting_route_calls_count_as_load_when_no_worker_runs() {
        // 100 waiting at target_util 0.5 of the default 100/s needs 2 workers: the stopped one first, then a new one
        Plan p = ScalingRules.decide(settings(0, 3), List.of(stopped(7)), 0, 100, 10, GRACE, T0);
        assertThat(kinds(p)).containsExactly(Kind.START, Kind.RENT);
        assertThat(p.actions().get(0).workerId()).isEqualTo(7);
    }

    @Test
    void scaling_up_never_passes_max_workers_and_says_so() {
        List<WorkerView> w = List.of(ready(1, 5000, 200, null), ready(2, 5000, 200, null));
        Plan p = ScalingRules.decide(settings(0, 3), w, 10_000, 0, 10, GRACE, T0);
        assertThat(kinds(p)).containsExactly(Kind.RENT);
        assertThat(p.summary()).contains("max_workers");
    }

    @Test
    void scaling_up_never_passes_what_the_owners_credit_covers() {
        List<WorkerView> w = List.of(ready(1, 1000, 200, null), stopped(2));
        Plan p = ScalingRules.decide(settings(1, 10), w, 1000, 0, 1, GRACE, T0);
        assertThat(kinds(p)).containsExactly(Kind.START);
        assertThat(p.summary()).contains("credit");
        Plan broke = ScalingRules.decide(settings(1, 10), w, 1000, 0, 0, GRACE, T0);
        assertThat(broke.actions()).isEmpty();
    }

    @Test
    void an_idle_worker_is_kept_running_through_the_grace_period_then_stopped_as_a_cold_one() {
        List<WorkerView> w = List.of(ready(1, 0, 200, T0), ready(2, 0, 200, T0));
        assertThat(ScalingRules.decide(settings(1, 5), w, 0, 0, 10, GRACE, T0.plusSeconds(29))
                        .actions())
                .isEmpty();
        Plan later = ScalingRules.decide(settings(1, 5), w, 0, 0, 10, GRACE, T0.plusSeconds(30));
        assertThat(kinds(later)).containsExactly(Kind.STOP, Kind.DESTROY);
        assertThat(later.actions().get(0).reason()).contains("idle 30 s");
    }

    @Test
    void a_busy_worker_is_never_scaled_down() {
        List<WorkerView> w = List.of(ready(1, 50, 200, null), ready(2, 0, 200, T0));
        Plan p = ScalingRules.decide(settings(0, 5), w, 50, 0, 10, GRACE, T0.plusSeconds(60));
        assertThat(p.actions()).extracting(ScalingAction::workerId).containsExactly(2L);
        assertThat(kinds(p)).containsExactly(Kind.DESTROY);
    }

    @Test
    void min_load_keeps_workers_running_without_requests() {
        EndpointSettings s = settings(0, 5).with(Map.of("min_load", 150));
        List<WorkerView> w = List.of(ready(1, 0, 200, T0), ready(2, 0, 200, T0));
        Plan p = ScalingRules.decide(s, w, 0, 0, 10, GRACE, T0.plusSeconds(600));
        // 150 at 0.5 × 200 needs 2: neither is let go
        assertThat(p.actions()).isEmpty();
    }

    @Test
    void stopped_workers_beyond_the_cold_target_are_destroyed_and_a_failed_worker_too() {
        List<WorkerView> w = new ArrayList<>(List.of(stopped(1), stopped(2), stopped(3)));
        w.add(new WorkerView(4, WorkerState.ERRORED, 0, 0, null, "model failed to load"));
        Plan p = ScalingRules.decide(settings(1, 5), w, 0, 0, 10, GRACE, T0);
        assertThat(p.actions())
                .extracting(ScalingAction::kind, ScalingAction::workerId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.DESTROY, 4L),
                        org.assertj.core.groups.Tuple.tuple(Kind.DESTROY, 3L),
                        org.assertj.core.groups.Tuple.tuple(Kind.DESTROY, 2L));
        assertThat(p.actions().get(0).reason()).contains("model failed to load");
    }

    @Test
    void a_suspended_endpoint_rents_nothing_and_a_stopped_one_stops_every_worker() {
        List<WorkerView> w = List.of(ready(1, 900, 200, null), ready(2, 0, 200, T0));
        EndpointSettings suspended = settings(0, 5).with(Map.of("endpoint_state", "suspended"));
        assertThat(kinds(ScalingRules.decide(suspended, w, 900, 0, 10, GRACE, T0)))
                .doesNotContain(Kind.RENT, Kind.START);
        EndpointSettings stopped = settings(0, 5).with(Map.of("endpoint_state", "stopped"));
        assertThat(kinds(ScalingRules.decide(stopped, w, 900, 0, 10, GRACE, T0)))
                .containsExactly(Kind.STOP, Kind.STOP);
    }

    @Test
    void cold_mult_keeps_more_capacity_rented_than_the_hot_need() {
        EndpointSettings s = EndpointSettings.DEFAULTS.with(
                Map.of("cold_workers", 0, "max_workers", 10, "cold_mult", 2.0, "target_util", 1.0));
        List<WorkerView> w = List.of(ready(1, 200, 200, null), ready(2, 200, 200, null));
        // 400 needs 2 hot; cold_mult 2 wants 2 more rented
        assertThat(kinds(ScalingRules.decide(s, w, 400, 0, 10, GRACE, T0))).containsExactly(Kind.RENT, Kind.RENT);
    }

    @Test
    void settings_out_of_range_are_refused_in_vasts_shape() {
        assertThatThrownBy(() -> EndpointSettings.DEFAULTS.with(Map.of("target_util", 1.5)))
                .isInstanceOf(DomainException.BadRequest.class)
                .hasMessageContaining("target_util");
        assertThatThrownBy(() -> EndpointSettings.DEFAULTS.with(Map.of("max_workers", 2.5)))
                .isInstanceOf(DomainException.BadRequest.class);
        assertThatThrownBy(() -> EndpointSettings.DEFAULTS.with(Map.of("endpoint_state", "paused")))
                .isInstanceOf(DomainException.BadRequest.class);
        assertThat(EndpointSettings.DEFAULTS.with(Map.of()).coldWorkers()).isEqualTo(5);
    }
}
