package io.gpumarket.agent.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.launcher.FakeLauncher;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.LogRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The desired set against this host's runners, with the in-memory launcher standing for the host: new instances,
 * removals, and what an agent finds after a restart (instances still running, instances that died meanwhile,
 * instances the server forgot). Until these, only end-to-end tests with a real agent process reached recovery.
 */
class ReconcilerTest {
    private final FakeDoor door = new FakeDoor();
    private final Reports reports = new Reports();
    private final List<Reconciler.LogJob> logJobs = new CopyOnWriteArrayList<>();
    private final List<Reconciler> agents = new CopyOnWriteArrayList<>();

    @AfterEach
    void detach() {
        agents.forEach(Reconciler::detachAll);
    }

    private Reconciler agent(FakeLauncher host) {
        Reconciler r =
                new Reconciler(host, door, reports.buffer, Duration.ofSeconds(1), Clock.systemUTC(), logJobs::add);
        agents.add(r);
        return r;
    }

    @Test
    void every_listed_instance_gets_started_and_the_revision_is_remembered() {
        FakeLauncher host = new FakeLauncher();
        Reconciler agent = agent(host);

        agent.apply(Desired.set(5, Desired.running(1, 1), Desired.running(2, 1)));

        reports.awaitStatus(1, ActualStatus.RUNNING);
        reports.awaitStatus(2, ActualStatus.RUNNING);
        assertThat(agent.revision()).isEqualTo(5);
        assertThat(agent.orphans()).isEmpty();
    }

    @Test
    void an_instance_missing_from_the_desired_set_is_destroyed_and_reported_removed() {
        FakeLauncher host = new FakeLauncher();
        Reconciler agent = agent(host);
        agent.apply(Desired.set(1, Desired.running(1, 1), Desired.running(2, 1)));
        reports.awaitStatus(1, ActualStatus.RUNNING);
        reports.awaitStatus(2, ActualStatus.RUNNING);

        agent.apply(Desired.set(2, Desired.running(2, 1)));

        reports.awaitRemoved(1);
        assertThat(host.calls(1)).containsExactly("recover", "start", "destroy"); // a fresh agent looks for it first
        assertThat(host.known()).containsExactly(2L);
        assertThat(door.isOpen(1)).isFalse();
        assertThat(door.isOpen(2)).isTrue();
    }

    @Test
    void an_answer_to_a_sync_asked_before_the_last_applied_answer_neither_destroys_nor_brings_back_an_instance() {
        FakeLauncher host = new FakeLauncher();
        Reconciler agent = agent(host);
        List<Long> handedOn = new java.util.concurrent.CopyOnWriteArrayList<>(); // to the copies, as AgentLoop does
        agent.afterApply(d -> handedOn.add(d.revision()));
        agent.apply(Desired.set(1, Desired.running(1, 1)));
        reports.awaitStatus(1, ActualStatus.RUNNING);
        long longPollAsked = System.nanoTime(); // a long poll goes out; a report's sync is answered meanwhile
        agent.apply(Desired.set(2, Desired.running(1, 1), Desired.running(2, 1)));
        reports.awaitStatus(2, ActualStatus.RUNNING);

        // the long poll's answer, read before instance 2 was rented, is applied last: 2 stays
        agent.apply(Desired.set(1, Desired.running(1, 1)), longPollAsked);
        assertThat(host.known()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(door.isOpen(2)).isTrue();
        // nor is its revision taken (the next long poll is answered at once if the server moved on)
        assertThat(agent.revision()).isEqualTo(2);

        // an answer to a sync asked afterwards that leaves 2 out removes it, and an older one listing it does not
        // bring it back
        long beforeRemoval = System.nanoTime();
        agent.apply(Desired.set(3, Desired.running(1, 1)));
        reports.awaitRemoved(2);
        agent.apply(Desired.set(2, Desired.running(1, 1), Desired.running(2, 1)), beforeRemoval);
        assertThat(host.known()).containsExactly(1L);
        assertThat(host.calls(2)).containsExactly("start", "destroy"); // started once, destroyed once
        // the older answers were not handed on: a copy they do not list yet would have been canceled
        assertThat(handedOn).containsExactly(1L, 2L, 3L);
    }

    @Test
    void after_an_agent_restart_a_running_instance_is_reattached_not_restarted() {
        FakeLauncher host = new FakeLauncher();
        Reconciler before = agent(host);
        before.apply(Desired.set(1, Desired.running(1, 1)));
        long run = reports.awaitStatus(1, ActualStatus.RUNNING).startedAt();
        before.detachAll(); // the agent stops; the instance keeps running

        agent(host).apply(Desired.set(1, Desired.running(1, 1)));

        InstanceReport r = reports.awaitReport(
                1,
                x -> x.actualStatus() == ActualStatus.RUNNING && host.calls(1).size() == 3);
        assertThat(r.startedAt()).isEqualTo(run);
        assertThat(host.calls(1)).containsExactly("recover", "start", "recover");
        await().atMost(Duration.ofSeconds(5)).until(() -> door.isOpen(1));
    }

    @Test
    void after_an_agent_restart_an_instance_that_died_meanwhile_is_started_again() {
        FakeLauncher host = new FakeLauncher();
        host.leftByEarlierAgent(1, false);

        agent(host).apply(Desired.set(1, Desired.running(1, 1)));

        reports.awaitStatus(1, ActualStatus.RUNNING);
        assertThat(host.calls(1)).containsExactly("recover", "start");
    }

    @Test
    void after_an_agent_restart_an_instance_meant_to_be_stopped_is_stopped() {
        FakeLauncher host = new FakeLauncher();
        host.leftByEarlierAgent(1, true);

        agent(host).apply(Desired.set(1, Desired.stopped(1, 1)));

        reports.awaitStatus(1, ActualStatus.STOPPED);
        assertThat(host.calls(1)).containsExactly("stop");
        assertThat(host.state(1)).isEqualTo(Inspection.State.STOPPED);
    }

    @Test
    void after_an_agent_restart_instances_the_server_no_longer_lists_are_removed_by_the_process_launcher() {
        FakeLauncher host = new FakeLauncher(true);
        host.leftByEarlierAgent(1, true);
        host.leftByEarlierAgent(9, true); // destroyed on the server while the agent was away

        Reconciler agent = agent(host);
        agent.apply(Desired.set(1, Desired.running(1, 1)));

        assertThat(host.calls(9)).containsExactly("destroy");
        assertThat(reports.removed()).contains(9L);
        assertThat(agent.orphans()).isEmpty();
        reports.awaitStatus(1, ActualStatus.RUNNING);
        assertThat(host.calls(1)).containsExactly("recover");
    }

    @Test
    void a_container_launcher_leaves_unlisted_instances_and_reports_them_until_the_host_removes_them() {
        FakeLauncher host = new FakeLauncher(false);
        host.leftByEarlierAgent(9, true);
        Reconciler agent = agent(host);

        agent.apply(Desired.set(1));
        assertThat(agent.orphans()).containsExactly(9L);
        assertThat(host.calls(9)).isEmpty();
        assertThat(host.state(9)).isEqualTo(Inspection.State.RUNNING);

        agent.apply(Desired.set(2));
        assertThat(agent.orphans()).containsExactly(9L);

        host.removeByHand(9);
        agent.apply(Desired.set(3));
        assertThat(agent.orphans()).isEmpty();
    }

    @Test
    void only_the_first_answer_after_a_start_recovers() {
        FakeLauncher host = new FakeLauncher(true);
        Reconciler agent = agent(host);
        agent.apply(Desired.set(1));

        host.leftByEarlierAgent(9, true); // appears later (no agent made it): not for this agent to judge
        agent.apply(Desired.set(2));

        assertThat(host.calls(9)).isEmpty();
        assertThat(agent.orphans()).isEmpty();
    }

    @Test
    void each_log_request_is_handed_out_once_however_often_the_server_repeats_it() {
        FakeLauncher host = new FakeLauncher();
        Reconciler agent = agent(host);
        LogRequest request = new LogRequest("tok-1", 100, null);
        DesiredInstance withLogs = new DesiredInstance(
                1,
                1,
                "running",
                0,
                "busybox",
                List.of(),
                null,
                List.of(),
                null,
                "ssh",
                10,
                1,
                41001,
                Map.of(),
                Desired.KEYS,
                "key-1",
                "127.0.0.1",
                null,
                List.of(request),
                null,
                null);

        agent.apply(Desired.set(1, withLogs));
        agent.apply(Desired.set(1, withLogs));

        assertThat(logJobs).containsExactly(new Reconciler.LogJob(1, request));
    }
}
