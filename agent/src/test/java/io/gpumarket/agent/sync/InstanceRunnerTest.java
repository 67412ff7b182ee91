package io.gpumarket.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.launcher.FakeLauncher;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.InstanceReport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One instance's state machine against the in-memory launcher: start, failures and whose fault they are, exits,
 * crashes, reboots, stop and start, changes that arrive while a start is still running, keys, notices, and a
 * launcher that throws. Until these, only the end-to-end tests (real processes or containers) reached them.
 */
class InstanceRunnerTest {
    private static final long ID = 7;
    private final FakeLauncher launcher = new FakeLauncher();
    private final FakeDoor door = new FakeDoor();
    private final Reports reports = new Reports();
    private final InstanceRunner runner =
            new InstanceRunner(ID, launcher, door, reports.buffer, Duration.ofSeconds(1), Clock.systemUTC());

    @AfterEach
    void detach() {
        runner.detach();
    }

    @Test
    void a_wanted_instance_is_started_and_reported_running_with_its_ssh_door_open() {
        runner.update(Desired.running(ID, 1), false);

        InstanceReport r = reports.awaitStatus(ID, ActualStatus.RUNNING);
        assertThat(r.sshPort()).isEqualTo(41007);
        assertThat(r.startedAt()).isPositive();
        assertThat(r.appliedRevision()).isEqualTo(1);
        assertThat(door.keys(ID)).isEqualTo(Desired.KEYS);
        assertThat(launcher.calls(ID)).containsExactly("start");
    }

    @Test
    void a_start_the_host_cannot_do_is_reported_exited_as_the_hosts_fault() {
        launcher.failNextStart(ID, "no user namespaces on this host");

        runner.update(Desired.running(ID, 1), false);

        InstanceReport r = reports.awaitStatus(ID, ActualStatus.EXITED);
        assertThat(r.statusMsg()).isEqualTo("no user namespaces on this host");
        assertThat(r.hostFault()).isTrue();
        assertThat(r.sshPort()).isZero();
        assertThat(door.isOpen(ID)).isFalse();
    }

    @Test
    void a_start_the_renters_request_made_impossible_is_not_the_hosts_fault() {
        launcher.refuseNextStart(ID, "image busybox:nope not found");

        runner.update(Desired.running(ID, 1), false);

        InstanceReport r = reports.awaitStatus(ID, ActualStatus.EXITED);
        assertThat(r.statusMsg()).isEqualTo("image busybox:nope not found");
        assertThat(r.hostFault()).isFalse();
    }

    @Test
    void an_instance_whose_own_process_exits_at_start_is_not_the_hosts_fault() {
        launcher.exitAtNextStart(ID, 3);

        runner.update(Desired.running(ID, 1), false);

        InstanceReport r = reports.awaitStatus(ID, ActualStatus.EXITED);
        assertThat(r.statusMsg()).isEqualTo("exited with code 3");
        assertThat(r.hostFault()).isFalse();
    }

    @Test
    void an_exited_instance_stays_exited_until_the_server_asks_again() {
        launcher.failNextStart(ID, "sandbox failed");
        runner.update(Desired.running(ID, 1), false);
        reports.awaitStatus(ID, ActualStatus.EXITED);

        runner.update(Desired.running(ID, 1), false); // the same revision again, as every sync repeats it
        runner.update(Desired.running(ID, 2), false); // the renter starts it again

        reports.awaitReport(ID, r -> r.actualStatus() == ActualStatus.RUNNING && r.appliedRevision() == 2);
        assertThat(launcher.calls(ID)).containsExactly("start", "start");
    }

    @Test
    void a_crash_of_a_running_instance_is_reported_at_the_next_poll_and_its_door_closed() {
        runner.update(Desired.running(ID, 1), false);
        reports.awaitStatus(ID, ActualStatus.RUNNING);

        launcher.crash(ID, 137, "killed: out of memory");
        runner.poll();

        InstanceReport r = reports.awaitStatus(ID, ActualStatus.EXITED);
        assertThat(r.statusMsg()).isEqualTo("killed: out of memory");
        assertThat(r.sshPort()).isZero();
        assertThat(r.hostFault()).isNull(); // an exit after running is no failed start
        assertThat(door.isOpen(ID)).isFalse();
    }

    @Test
    void a_reboot_request_stops_the_run_and_starts_a_new_one() {
        runner.update(Desired.running(ID, 1), false);
        long firstRun = reports.awaitStatus(ID, ActualStatus.RUNNING).startedAt();

        runner.update(Desired.of(ID, 2, "running", 1, Desired.KEYS, null), false);

        InstanceReport r =
                reports.awaitReport(ID, x -> x.actualStatus() == ActualStatus.RUNNING && x.appliedRevision() == 2);
        assertThat(r.startedAt()).isGreaterThan(firstRun);
        assertThat(launcher.calls(ID)).containsExactly("start", "stop", "start");
        assertThat(door.isOpen(ID)).isTrue();
    }

    @Test
    void a_recycle_request_destroys_the_instance_and_starts_it_from_scratch() {
        runner.update(Desired.running(ID, 1), false);
        long firstRun = reports.awaitStatus(ID, ActualStatus.RUNNING).startedAt();

        runner.update(Desired.recycled(ID, 2, 1), false);

        InstanceReport r =
                reports.awaitReport(ID, x -> x.actualStatus() == ActualStatus.RUNNING && x.appliedRevision() == 2);
        assertThat(r.startedAt()).isGreaterThan(firstRun);
        assertThat(launcher.calls(ID)).containsExactly("start", "destroy", "start");
        assertThat(door.isOpen(ID)).isTrue();

        // the same count again (any other change) does not recycle again
        runner.update(Desired.recycled(ID, 3, 1), false);
        reports.awaitReport(ID, x -> x.appliedRevision() == 3);
        assertThat(launcher.calls(ID)).containsExactly("start", "destroy", "start");
    }

    @Test
    void stopping_keeps_the_files_and_starting_again_begins_a_new_run() {
        runner.update(Desired.running(ID, 1), false);
        long firstRun = reports.awaitStatus(ID, ActualStatus.RUNNING).startedAt();

        runner.update(Desired.stopped(ID, 2), false);
        InstanceReport stopped = reports.awaitStatus(ID, ActualStatus.STOPPED);
        assertThat(stopped.statusMsg()).isEqualTo("stopped on request; files kept");
        assertThat(stopped.startedAt()).isZero();
        assertThat(launcher.state(ID)).isEqualTo(Inspection.State.STOPPED);
        assertThat(door.isOpen(ID)).isFalse();

        runner.update(Desired.running(ID, 3), false);
        assertThat(reports.awaitStatus(ID, ActualStatus.RUNNING).startedAt()).isGreaterThan(firstRun);
        assertThat(launcher.calls(ID)).containsExactly("start", "stop", "start");
    }

    @Test
    void a_stop_asked_while_a_slow_start_runs_is_applied_once_the_start_ends() throws Exception {
        FakeLauncher.Gate gate = launcher.slowNextStart(ID, "pulling busybox: 1 of 2 layers");
        runner.update(Desired.running(ID, 1), false);
        gate.awaitEntered();

        InstanceReport meanwhile = reports.awaitReport(ID, r -> r.statusMsg().startsWith("pulling"));
        assertThat(meanwhile.actualStatus()).isEqualTo(ActualStatus.LOADING);
        runner.update(Desired.stopped(ID, 2), false);
        gate.release();

        InstanceReport r =
                reports.awaitReport(ID, x -> x.actualStatus() == ActualStatus.STOPPED && x.appliedRevision() == 2);
        assertThat(r.sshPort()).isZero();
        assertThat(launcher.calls(ID)).containsExactly("start", "stop");
        assertThat(launcher.state(ID)).isEqualTo(Inspection.State.STOPPED);
        assertThat(door.isOpen(ID)).isFalse();
    }

    @Test
    void a_destroy_asked_while_a_slow_start_runs_removes_the_instance_once_the_start_ends() throws Exception {
        FakeLauncher.Gate gate = launcher.slowNextStart(ID);
        runner.update(Desired.running(ID, 1), false);
        gate.awaitEntered();
        CountDownLatch done = new CountDownLatch(1);

        runner.destroy(done::countDown);
        gate.release();

        assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
        reports.awaitRemoved(ID);
        assertThat(launcher.calls(ID)).containsExactly("start", "destroy");
        assertThat(launcher.state(ID)).isEqualTo(Inspection.State.ABSENT);
        assertThat(door.isOpen(ID)).isFalse();
    }

    @Test
    void new_keys_reach_the_open_door_without_a_restart() {
        runner.update(Desired.running(ID, 1), false);
        reports.awaitStatus(ID, ActualStatus.RUNNING);
        List<String> keys = List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISecondKey friend@desk");

        runner.update(Desired.of(ID, 2, "running", 0, keys, null), false);

        reports.awaitReport(ID, r -> r.appliedRevision() == 2);
        assertThat(door.keys(ID)).isEqualTo(keys);
        assertThat(launcher.calls(ID)).containsExactly("start");
    }

    @Test
    void a_preemption_notice_is_written_inside_the_instance_and_removed_when_withdrawn() {
        runner.update(Desired.of(ID, 1, "running", 0, Desired.KEYS, "outbid; stops at 12:00 UTC"), false);
        reports.awaitStatus(ID, ActualStatus.RUNNING);
        runner.update(Desired.of(ID, 2, "running", 0, Desired.KEYS, null), false);
        reports.awaitReport(ID, r -> r.appliedRevision() == 2);

        assertThat(launcher.execs()).hasSize(2);
        assertThat(launcher.execs().get(0).input()).isEqualTo("outbid; stops at 12:00 UTC\n");
        assertThat(String.join(" ", launcher.execs().get(0).command())).contains(DesiredInstance.NOTICE_FILE);
        assertThat(launcher.execs().get(1).command()).containsExactly("rm", "-f", DesiredInstance.NOTICE_FILE);
    }

    @Test
    void a_launcher_that_throws_makes_the_instance_exited_as_the_hosts_fault_not_the_agent_dead() {
        launcher.failInspections(ID, new IllegalStateException("engine connection reset"));

        runner.update(Desired.running(ID, 1), false);

        InstanceReport r = reports.awaitStatus(ID, ActualStatus.EXITED);
        assertThat(r.statusMsg()).isEqualTo("agent error: engine connection reset");
        assertThat(r.hostFault()).isTrue();
    }

    @Test
    void an_ssh_port_that_cannot_be_opened_yet_is_opened_at_a_later_poll() {
        door.failNextOpen("address already in use");
        runner.update(Desired.running(ID, 1), false);

        InstanceReport first = reports.awaitStatus(ID, ActualStatus.RUNNING);
        assertThat(first.sshPort()).isZero();
        assertThat(first.statusMsg()).contains("could not be opened (address already in use); retrying");

        runner.poll();
        assertThat(reports.awaitReport(ID, r -> r.sshPort() == 41007).actualStatus())
                .isEqualTo(ActualStatus.RUNNING);
        assertThat(door.isOpen(ID)).isTrue();
    }

    @Test
    void disk_use_and_the_runs_traffic_reach_the_server_at_the_next_poll() {
        runner.update(Desired.running(ID, 1), false);
        reports.awaitStatus(ID, ActualStatus.RUNNING);

        launcher.use(ID, 3_000_000_000L, 1_000, 2_000);
        runner.poll();

        InstanceReport r = reports.awaitReport(ID, x -> x.diskUsageGb() == 3.0);
        assertThat(r.rxBytes()).isEqualTo(1_000);
        assertThat(r.txBytes()).isEqualTo(2_000);
    }
}
