package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.User;
import io.gpumarket.core.instance.ActualStatus;
import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Launch;
import io.gpumarket.core.instance.Runtype;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.InstanceEvent;
import io.gpumarket.store.InstanceRepo;
import io.gpumarket.store.InstanceRepo.Applied;
import io.gpumarket.store.NewInstance;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link InstanceRepo}: contracts, their two writers, revisions, and the actual-status history. */
public interface InstanceRepoContract extends InstanceFixture {

    @Test
    default void a_created_instance_keeps_every_field_and_starts_at_revision_one() {
        User alice = user("alice");
        Machine m = machine(user("host"), 4);
        OfferSlot offer = repos().offers().replace(m.id(), List.of(2), now()).get(0);
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("8080/tcp", 40_001);
        ports.put("9000/udp", 40_002);
        ContractPrices prices = new ContractPrices(400_000, 150_000, 10_000, 5_000, 1_893_456_000L);

        Instance i = repos().instances()
                .create(
                        new NewInstance(
                                alice.id(),
                                m.id(),
                                offer.id(),
                                2,
                                launch(),
                                "job",
                                20.5,
                                IntendedStatus.STOPPED,
                                40_000,
                                ports,
                                prices),
                        now());

        assertThat(repos().instances().find(i.id())).contains(i);
        assertThat(i.ownerId()).isEqualTo(alice.id());
        assertThat(i.offerId()).isEqualTo(offer.id());
        assertThat(i.launch()).isEqualTo(launch());
        assertThat(i.ports()).containsExactly(Map.entry("8080/tcp", 40_001), Map.entry("9000/udp", 40_002));
        assertThat(i.prices()).isEqualTo(prices);
        assertThat(i.intendedStatus()).isEqualTo(IntendedStatus.STOPPED);
        assertThat(i.curState()).isEqualTo("stopped");
        assertThat(i.agent()).isEqualTo(AgentState.none());
        assertThat(i.revision()).isEqualTo(1);
        assertThat(i.rebootCount()).isZero();
        assertThat(i.apiKeyId()).isNull();
        assertThat(i.createdAt()).isEqualTo(now());
        assertThat(i.destroyed()).isFalse();
    }

    @Test
    default void an_empty_launch_round_trips_as_empty_lists_and_nulls() {
        Machine m = machine(user("host"), 1);
        OfferSlot offer = repos().offers().replace(m.id(), List.of(1), now()).get(0);
        Launch bare = new Launch("busybox", null, null, null, null, Runtype.ARGS, "args");

        Instance i = repos().instances()
                .create(
                        new NewInstance(
                                user("bob").id(),
                                m.id(),
                                offer.id(),
                                1,
                                bare,
                                null,
                                8,
                                IntendedStatus.RUNNING,
                                0,
                                Map.of(),
                                new ContractPrices(0, 0, 0, 0, 0)),
                        now());

        Launch read = repos().instances().find(i.id()).orElseThrow().launch();
        assertThat(read).isEqualTo(bare);
        assertThat(read.env()).isEmpty();
        assertThat(read.args()).isEmpty();
    }

    @Test
    default void server_changes_add_one_to_the_revision_each() {
        Instance i = instance(user("alice"), machine(user("host"), 2));
        InstanceRepo repo = repos().instances();

        assertThat(repo.setIntendedStatus(i.id(), IntendedStatus.STOPPED, now()))
                .isTrue();
        assertThat(repo.find(i.id()).orElseThrow()).satisfies(x -> {
            assertThat(x.intendedStatus()).isEqualTo(IntendedStatus.STOPPED);
            assertThat(x.curState()).isEqualTo("stopped");
            assertThat(x.revision()).isEqualTo(2);
        });
        assertThat(repo.setLabel(i.id(), "renamed", now())).isTrue();
        assertThat(repo.reboot(i.id(), now())).isTrue();
        assertThat(repo.bumpRevision(i.id(), now())).isTrue();

        Instance after = repo.find(i.id()).orElseThrow();
        assertThat(after.label()).isEqualTo("renamed");
        assertThat(after.rebootCount()).isEqualTo(1);
        assertThat(after.revision()).isEqualTo(5);
    }

    @Test
    default void destroying_happens_once_and_closes_the_history() {
        Instance i = instance(user("alice"), machine(user("host"), 2));

        assertThat(repos().instances().markDestroyed(i.id(), now())).isTrue();
        assertThat(repos().instances().markDestroyed(i.id(), now())).isFalse();

        Instance gone = repos().instances().find(i.id()).orElseThrow();
        assertThat(gone.destroyedAt()).isEqualTo(now());
        assertThat(gone.curState()).isEqualTo(Instance.UNLOADED);
        assertThat(repos().instances().events(i.id())).containsExactly(new InstanceEvent(i.id(), now(), "destroyed"));
    }

    @Test
    default void a_destroyed_instance_takes_no_more_changes_from_either_writer() {
        Machine m = machine(user("host"), 2);
        Instance i = instance(user("alice"), m);
        repos().instances().markDestroyed(i.id(), now());

        assertThat(repos().instances().setIntendedStatus(i.id(), IntendedStatus.STOPPED, now()))
                .isFalse();
        assertThat(repos().instances().setLabel(i.id(), "x", now())).isFalse();
        assertThat(repos().instances().reboot(i.id(), now())).isFalse();
        assertThat(repos().instances().applyReport(i.id(), m.id(), running(), now()))
                .isEqualTo(Applied.NO_SUCH_INSTANCE);
        assertThat(repos().instances().find(i.id()).orElseThrow().agent()).isEqualTo(AgentState.none());
    }

    @Test
    default void live_lists_leave_destroyed_instances_out() {
        User alice = user("alice");
        User bob = user("bob");
        Machine m = machine(user("host"), 4);
        Machine other = machine(user("host2"), 4);
        Instance a = instance(alice, m);
        Instance b = instance(alice, m);
        Instance c = instance(bob, m);
        Instance d = instance(alice, other);
        repos().instances().markDestroyed(b.id(), now());

        assertThat(repos().instances().liveOnMachine(m.id()))
                .extracting(Instance::id)
                .containsExactly(a.id(), c.id());
        assertThat(repos().instances().liveByOwner(alice.id()))
                .extracting(Instance::id)
                .containsExactly(a.id(), d.id());
        assertThat(repos().instances().machinesOfOwner(alice.id())).containsExactly(m.id(), other.id());
        assertThat(repos().instances().machinesOfOwner(user("carol").id())).isEmpty();
    }

    @Test
    default void an_agent_report_copies_the_agent_fields_and_nothing_else() {
        Machine m = machine(user("host"), 2);
        Instance i = instance(user("alice"), m);
        repos().instances().setIntendedStatus(i.id(), IntendedStatus.STOPPED, now());
        Instant started = Instant.parse("2025-01-01T00:00:00Z");

        Applied applied = repos().instances()
                .applyReport(
                        i.id(),
                        m.id(),
                        new AgentState(ActualStatus.RUNNING, "success, running", 3.5, 0.4, started),
                        now());

        Instance after = repos().instances().find(i.id()).orElseThrow();
        assertThat(applied).isEqualTo(Applied.STATUS_CHANGED);
        assertThat(after.agent())
                .isEqualTo(new AgentState(ActualStatus.RUNNING, "success, running", 3.5, 0.4, started));
        assertThat(after.intendedStatus()).isEqualTo(IntendedStatus.STOPPED);
        assertThat(after.label()).isEqualTo("job");
        assertThat(after.revision()).isEqualTo(2);
    }

    @Test
    default void only_changes_of_actual_status_are_recorded_as_events() {
        Machine m = machine(user("host"), 2);
        Instance i = instance(user("alice"), m);
        Instant t0 = now();

        repos().instances().applyReport(i.id(), m.id(), status("loading"), t0);
        assertThat(repos().instances().applyReport(i.id(), m.id(), status("loading"), t0.plusSeconds(5)))
                .isEqualTo(Applied.UPDATED);
        repos().instances().applyReport(i.id(), m.id(), status("running"), t0.plusSeconds(10));
        repos().instances().applyReport(i.id(), m.id(), status("running"), t0.plusSeconds(20));
        repos().instances().applyReport(i.id(), m.id(), status("stopped"), t0.plusSeconds(30));

        assertThat(repos().instances().events(i.id()))
                .containsExactly(
                        new InstanceEvent(i.id(), t0, "loading"),
                        new InstanceEvent(i.id(), t0.plusSeconds(10), "running"),
                        new InstanceEvent(i.id(), t0.plusSeconds(30), "stopped"));
    }

    @Test
    default void a_report_about_another_machines_instance_changes_nothing() {
        Machine m = machine(user("host"), 2);
        Machine intruder = machine(user("host2"), 2);
        Instance i = instance(user("alice"), m);

        assertThat(repos().instances().applyReport(i.id(), intruder.id(), running(), now()))
                .isEqualTo(Applied.NO_SUCH_INSTANCE);
        assertThat(repos().instances().applyReport(999_999, m.id(), running(), now()))
                .isEqualTo(Applied.NO_SUCH_INSTANCE);
        assertThat(repos().instances().find(i.id()).orElseThrow().agent()).isEqualTo(AgentState.none());
        assertThat(repos().instances().events(i.id())).isEmpty();
    }

    @Test
    default void an_owners_key_change_bumps_every_live_instance_of_theirs() {
        User alice = user("alice");
        Machine m = machine(user("host"), 4);
        Instance a = instance(alice, m);
        Instance b = instance(alice, m);
        Instance gone = instance(alice, m);
        Instance bobs = instance(user("bob"), m);
        repos().instances().markDestroyed(gone.id(), now());

        assertThat(repos().instances().bumpRevisionsOfOwner(alice.id(), now())).isEqualTo(2);
        assertThat(repos().instances().find(a.id()).orElseThrow().revision()).isEqualTo(2);
        assertThat(repos().instances().find(b.id()).orElseThrow().revision()).isEqualTo(2);
        assertThat(repos().instances().find(bobs.id()).orElseThrow().revision()).isEqualTo(1);
    }

    @Test
    default void the_scoped_key_is_linked_after_creation() {
        User alice = user("alice");
        Instance i = instance(alice, machine(user("host"), 1));
        long keyId = repos().apiKeys()
                .create(alice.id(), "instance " + i.id(), "hash-" + i.id(), "{}", null, now())
                .id();

        assertThat(repos().instances().setApiKeyId(i.id(), keyId, now())).isTrue();
        assertThat(repos().instances().find(i.id()).orElseThrow().apiKeyId()).isEqualTo(keyId);
    }

    @Test
    default void racing_destroys_of_one_instance_have_exactly_one_winner() {
        Instance i = instance(user("alice"), machine(user("host"), 1));

        List<Boolean> won =
                Race.run(RaceContract.CONTENDERS, k -> repos().instances().markDestroyed(i.id(), now()));

        assertThat(won).containsOnlyOnce(true);
        assertThat(repos().instances().events(i.id())).hasSize(1);
    }

    @Test
    default void racing_reports_of_the_same_change_record_it_once() {
        Machine m = machine(user("host"), 1);
        Instance i = instance(user("alice"), m);

        Race.run(
                RaceContract.CONTENDERS,
                k -> repos().instances().applyReport(i.id(), m.id(), running(), now().plus(Duration.ofMillis(k))));

        assertThat(repos().instances().events(i.id()))
                .extracting(InstanceEvent::actualStatus)
                .containsExactly("running");
    }

    private static AgentState running() {
        return status("running");
    }

    private static AgentState status(String s) {
        return new AgentState(ActualStatus.fromWire(s).orElseThrow(), s, 1.0, 0.1, null);
    }
}
