package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.instance.ActualStatus;
import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.HeartbeatHistory;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineReport;
import io.gpumarket.core.machine.MaintenanceWindow;
import io.gpumarket.store.MaintenanceRepo;
import io.gpumarket.store.ReportRepo;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What host operations store: heartbeat histories and instance starts as reliability reads them, rolling
 * listings, maintenance windows ({@link MaintenanceRepo}) and renters' reports ({@link ReportRepo}).
 */
public interface HostOpsRepoContract extends InstanceFixture {

    @Test
    default void a_heartbeat_history_is_first_and_last_contact_and_one_row_per_outage() {
        Machine m = machine(user("host"), 1);
        Machine silent = machine(user("other"), 1);
        Duration threshold = Duration.ofSeconds(30);
        Instant first = now();
        assertThat(repos().machines().histories(first.minusSeconds(1))).doesNotContainKeys(m.id(), silent.id());

        repos().machines().touch(m.id(), first, threshold);
        for (int i = 0; i < 5; i++)
            repos().machines().touch(m.id(), clock().advance(Duration.ofSeconds(10)), threshold);
        Instant beforeGap = now();
        Instant back = clock().advance(Duration.ofMinutes(5));
        repos().machines().touch(m.id(), back, threshold);

        HeartbeatHistory h = repos().machines().histories(first.minusSeconds(1)).get(m.id());
        assertThat(h.firstSeen()).isEqualTo(first);
        assertThat(h.lastSeen()).isEqualTo(back);
        assertThat(h.outages()).containsExactly(new HeartbeatHistory.Outage(beforeGap.plus(threshold), back));
        assertThat(repos().machines().histories(back).get(m.id()).outages())
                .as("outages ended before 'since' are left out")
                .isEmpty();
    }

    @Test
    default void heartbeats_flushed_in_one_batch_store_what_touching_each_contact_would_have() {
        Machine m = machine(user("host"), 1);
        Machine quiet = machine(user("other"), 1);
        Duration threshold = Duration.ofSeconds(30);
        Instant first = now();
        repos().machines().touch(quiet.id(), first, threshold);
        Instant quietBack = clock().advance(Duration.ofMinutes(2));
        Instant gapFrom = clock().advance(Duration.ofSeconds(10));
        Instant gapTo = clock().advance(Duration.ofMinutes(3));
        Instant last = clock().advance(Duration.ofSeconds(10));

        int silences = repos().machines()
                .heard(
                        () -> List.of(
                                new io.gpumarket.store.Heard(
                                        m.id(), first, last, List.<Instant[]>of(new Instant[] {gapFrom, gapTo})),
                                new io.gpumarket.store.Heard(quiet.id(), quietBack, quietBack, List.of()),
                                new io.gpumarket.store.Heard(404_404, first, last, List.of())),
                        threshold);

        assertThat(silences).isEqualTo(2);
        HeartbeatHistory h = repos().machines().histories(first.minusSeconds(1)).get(m.id());
        assertThat(h.firstSeen()).as("first heard, not last").isEqualTo(first);
        assertThat(h.lastSeen()).isEqualTo(last);
        assertThat(h.outages()).containsExactly(new HeartbeatHistory.Outage(gapFrom.plus(threshold), gapTo));
        assertThat(repos().machines()
                        .histories(first.minusSeconds(1))
                        .get(quiet.id())
                        .outages())
                .as("the stored last contact and the first heard, two minutes apart")
                .containsExactly(new HeartbeatHistory.Outage(first.plus(threshold), quietBack));
        assertThat(repos().machines().lastSeenAll()).containsEntry(m.id(), last).containsEntry(quiet.id(), quietBack);

        repos().machines()
                .heard(() -> List.of(new io.gpumarket.store.Heard(m.id(), first, first, List.of())), threshold);
        assertThat(repos().machines().lastSeen(m.id()))
                .as("an older batch never moves the last contact back")
                .contains(last);
    }

    @Test
    default void starts_are_changes_to_running_and_changes_to_exited_before_running_not_of_the_instances_own_making() {
        Machine m = machine(user("host"), 2);
        var alice = user("alice");
        Instant since = now();
        Instance failed = instance(alice, m);
        report(failed, m, "loading");
        Instant failedAt = clock().advance(Duration.ofSeconds(1));
        report(failed, m, "exited");
        Instance ran = instance(alice, m);
        report(ran, m, "loading");
        Instant ranAt = clock().advance(Duration.ofSeconds(1));
        report(ran, m, "running");
        clock().advance(Duration.ofSeconds(1));
        report(ran, m, "exited"); // a crash after running is not a failed start
        Instance own = instance(alice, m);
        report(own, m, "loading");
        clock().advance(Duration.ofSeconds(1));
        // the agent says the instance's own process exited: not the host's fault
        repos().instances()
                .applyReport(
                        own.id(),
                        m.id(),
                        new AgentState(ActualStatus.EXITED, "exit 3", null, null, null),
                        false,
                        now());
        Instance launcher = instance(alice, m);
        Instant launcherFailedAt = clock().advance(Duration.ofSeconds(1));
        repos().instances()
                .applyReport(
                        launcher.id(),
                        m.id(),
                        new AgentState(ActualStatus.EXITED, "no sandbox", null, null, null),
                        true,
                        now());

        assertThat(repos().machines().starts(since).get(m.id()))
                .containsExactly(
                        new HeartbeatHistory.Start(failedAt, false),
                        new HeartbeatHistory.Start(ranAt, true),
                        new HeartbeatHistory.Start(launcherFailedAt, false));
        assertThat(repos().machines().starts(now().plusSeconds(1))).doesNotContainKey(m.id());
    }

    private void report(Instance i, Machine m, String status) {
        repos().instances()
                .applyReport(
                        i.id(),
                        m.id(),
                        new AgentState(ActualStatus.fromWire(status).orElseThrow(), status, null, null, null),
                        now());
    }

    @Test
    default void a_listing_is_rolling_until_set_fixed_or_unlisted() {
        Machine m = machine(user("host"), 2);
        repos().machines().setListing(m.id(), MachineSamples.listing(1), now());
        assertThat(repos().machines().setRollingDuration(m.id(), Duration.ofDays(3), now()))
                .isTrue();
        assertThat(repos().machines().rollingDurations()).containsEntry(m.id(), Duration.ofDays(3));
        repos().machines().setListing(m.id(), null, now());
        assertThat(repos().machines().rollingDurations())
                .as("unlisted machines do not roll")
                .doesNotContainKey(m.id());
        repos().machines().setListing(m.id(), MachineSamples.listing(1), now());
        repos().machines().setRollingDuration(m.id(), null, now());
        assertThat(repos().machines().rollingDurations()).doesNotContainKey(m.id());
        assertThat(repos().machines().setRollingDuration(987654321L, Duration.ofDays(1), now()))
                .isFalse();
    }

    @Test
    default void maintenance_windows_are_listed_until_they_end_and_cancelled_only_on_their_machine() {
        Machine m = machine(user("host"), 1);
        Machine other = machine(user("other"), 1);
        MaintenanceWindow w = repos().maintenances()
                .add(
                        new MaintenanceWindow(
                                0, m.id(), now().plusSeconds(60), now().plusSeconds(3660), "power", "new PSU"),
                        now());
        MaintenanceWindow o = repos().maintenances()
                .add(new MaintenanceWindow(0, other.id(), now(), now().plusSeconds(600), "gpu", null), now());
        assertThat(w.id()).isPositive();
        assertThat(w)
                .isEqualTo(new MaintenanceWindow(
                        w.id(), m.id(), now().plusSeconds(60), now().plusSeconds(3660), "power", "new PSU"));
        assertThat(repos().maintenances().notEnded(List.of(m.id(), other.id()), now()))
                .containsExactly(o, w);
        assertThat(repos().maintenances().notEnded(List.of(), now())).isEmpty();
        assertThat(repos().maintenances().notEnded(List.of(other.id()), now().plusSeconds(600)))
                .as("ended")
                .isEmpty();

        assertThat(repos().maintenances().cancel(m.id(), now())).isEqualTo(1);
        assertThat(repos().maintenances().notEnded(List.of(m.id(), other.id()), now()))
                .containsExactly(o);
        assertThat(repos().maintenances().cancel(m.id(), now())).isZero();
    }

    @Test
    default void reports_are_kept_per_machine_and_counted() {
        Machine m = machine(user("host"), 2);
        Machine quiet = machine(user("other"), 1);
        var alice = user("alice");
        Instance i = instance(alice, m);
        MachineReport r =
                repos().reports().add(new MachineReport(0, m.id(), i.id(), alice.id(), "GPU missing", "", now()));
        clock().advance(Duration.ofSeconds(5));
        repos().reports().add(new MachineReport(0, m.id(), i.id(), alice.id(), "slow disk", "5 MB/s", now()));

        assertThat(r.id()).isPositive();
        assertThat(repos().reports().ofMachine(m.id()))
                .extracting(MachineReport::problem)
                .containsExactly("GPU missing", "slow disk");
        assertThat(repos().reports().ofMachine(m.id()).get(0)).isEqualTo(r);
        assertThat(repos().reports().counts(List.of(m.id(), quiet.id()))).isEqualTo(Map.of(m.id(), 2));
        assertThat(repos().reports().ofMachine(quiet.id())).isEmpty();
    }

    @Test
    default void what_an_agent_says_about_orphans_replaces_what_it_said_before() {
        Machine m = machine(user("host"), 2);
        Machine quiet = machine(user("other"), 1);
        assertThat(repos().machines().setOrphans(m.id(), List.of(42L, 7L), now()))
                .isTrue();
        assertThat(repos().machines().orphans(List.of(m.id(), quiet.id()))).isEqualTo(Map.of(m.id(), List.of(7L, 42L)));
        repos().machines().setOrphans(m.id(), List.of(7L), now());
        assertThat(repos().machines().orphans(List.of(m.id()))).isEqualTo(Map.of(m.id(), List.of(7L)));
        repos().machines().setOrphans(m.id(), List.of(), now());
        assertThat(repos().machines().orphans(List.of(m.id()))).isEmpty();
        assertThat(repos().machines().setOrphans(999_999, List.of(1L), now()))
                .as("no such machine")
                .isFalse();
    }
}
