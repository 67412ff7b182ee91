package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.account.User;
import io.gpumarket.core.billing.Silence;
import io.gpumarket.core.billing.StatusChange;
import io.gpumarket.core.billing.TrafficSample;
import io.gpumarket.core.instance.ActualStatus;
import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.store.BillingRepo;
import io.gpumarket.store.MeteredContract;
import io.gpumarket.store.Posting;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link BillingRepo}: the meter's watermark and postings, and the history charges derive from. */
public interface BillingRepoContract extends InstanceFixture {
    Duration UNKNOWN_AFTER = Duration.ofSeconds(30);

    default BillingRepo billing() {
        return repos().billing();
    }

    @Test
    default void a_posting_moves_the_watermark_appends_the_entries_and_adds_them_to_the_balances() {
        User alice = user("alice");
        User host = user("host");
        repos().ledger().append(alice.id(), "deposit", 10_000_000, null, null, now());
        Instant to = now().plusSeconds(5);

        billing()
                .post(
                        Instant.EPOCH,
                        to,
                        List.of(
                                new Posting(alice.id(), "charge", -1_234, "usage", "charge:0-5"),
                                new Posting(host.id(), "earning", 1_234, "earnings", "earning:0-5")));

        assertThat(billing().chargedTo()).isEqualTo(to);
        assertThat(repos().ledger().balance(alice.id()))
                .isEqualTo(10_000_000 - 1_234)
                .isEqualTo(repos().ledger().sumOfEntries(alice.id()));
        assertThat(repos().ledger().balance(host.id())).isEqualTo(1_234);
        assertThat(billing().balances())
                .containsEntry(alice.id(), 10_000_000L - 1_234)
                .containsEntry(host.id(), 1_234L);
        assertThat(repos().ledger().byUser(alice.id()).get(1).createdAt()).isEqualTo(to);
    }

    @Test
    default void a_posting_from_a_watermark_that_moved_is_refused_and_changes_nothing() {
        User alice = user("alice");
        billing().post(Instant.EPOCH, now(), List.of());

        assertThatThrownBy(() -> store().inTransaction(tx -> {
                    tx.billing()
                            .post(
                                    Instant.EPOCH,
                                    now().plusSeconds(1),
                                    List.of(new Posting(alice.id(), "charge", -5, null, "charge:x")));
                    return null;
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(billing().chargedTo()).isEqualTo(now());
        assertThat(repos().ledger().byUser(alice.id())).isEmpty();
    }

    @Test
    default void a_posting_that_reuses_a_users_idempotency_key_is_refused() {
        User alice = user("alice");
        billing().post(Instant.EPOCH, now(), List.of(new Posting(alice.id(), "charge", -5, null, "charge:0-1")));

        assertThatThrownBy(() -> billing()
                .post(now(), now().plusSeconds(1), List.of(new Posting(alice.id(), "charge", -5, null, "charge:0-1"))));
        assertThat(repos().ledger().balance(alice.id())).isEqualTo(-5);
    }

    @Test
    default void times_written_after_a_tick_are_recorded_after_its_watermark() {
        Machine m = machine(user("host"), 1);
        Instance i = instance(user("alice"), m);
        Instant watermark = now().plusSeconds(60);
        billing().post(Instant.EPOCH, watermark, List.of());

        repos().instances()
                .applyReport(i.id(), m.id(), new AgentState(ActualStatus.RUNNING, null, null, null, null), now());
        repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);

        List<StatusChange> changes = billing().changesOf(List.of(i.id()));
        assertThat(changes).singleElement().satisfies(c -> assertThat(c.at()).isEqualTo(watermark.plusMillis(1)));
        assertThat(repos().machines().lastSeen(m.id())).contains(watermark.plusMillis(1));
        Instance later = instance(user("bob"), m);
        assertThat(later.createdAt()).isEqualTo(watermark.plusMillis(1));
    }

    @Test
    default void a_contact_after_a_long_silence_records_the_silence_from_when_instances_went_unknown() {
        Machine m = machine(user("host"), 1);
        repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);
        Instant last = now();
        clock().advance(Duration.ofSeconds(25));
        repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);
        assertThat(billing().silencesOf(List.of(m.id())))
                .as("25 s is no silence")
                .isEmpty();

        clock().advance(Duration.ofMinutes(5));
        repos().machines().touch(m.id(), now(), UNKNOWN_AFTER);

        assertThat(billing().silencesOf(List.of(m.id()))).singleElement().satisfies(s -> {
            assertThat(s.from()).isEqualTo(last.plusSeconds(25).plus(UNKNOWN_AFTER));
            assertThat(s.to()).isEqualTo(now());
        });
        assertThat(billing().silencesAfter(0)).extracting(Silence::machineId).containsExactly(m.id());
    }

    @Test
    default void traffic_counters_of_each_run_add_up_over_the_instances_life() {
        Machine m = machine(user("host"), 1);
        Instance i = instance(user("alice"), m);
        Instant run1 = now();
        billing().recordTraffic(i.id(), m.id(), run1, 100, 10, now());
        assertThat(billing().recordTraffic(i.id(), m.id(), run1, 100, 10, now()))
                .as("nothing moved")
                .isFalse();
        billing().recordTraffic(i.id(), m.id(), run1, 250, 40, now());
        Instant run2 = now().plusSeconds(60);
        billing().recordTraffic(i.id(), m.id(), run2, 0, 0, now());
        billing().recordTraffic(i.id(), m.id(), run2, 70, 5, now());

        assertThat(billing().trafficOf(List.of(i.id())))
                .extracting(TrafficSample::rxBytes, TrafficSample::txBytes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(100L, 10L),
                        org.assertj.core.groups.Tuple.tuple(250L, 40L),
                        org.assertj.core.groups.Tuple.tuple(320L, 45L));
    }

    @Test
    default void contracts_carry_their_frozen_terms_owner_and_host() {
        User host = user("host");
        Machine m = machine(host, 1);
        User alice = user("alice");
        Instance i = instance(alice, m);

        MeteredContract c = billing().contractsAfter(0).get(0);
        assertThat(c.id()).isEqualTo(i.id());
        assertThat(c.ownerId()).isEqualTo(alice.id());
        assertThat(c.hostId()).isEqualTo(host.id());
        assertThat(c.prices()).isEqualTo(i.prices());
        assertThat(billing().unmetered(Instant.EPOCH))
                .extracting(MeteredContract::id)
                .containsExactly(i.id());
        assertThat(billing().contractsOfOwner(alice.id(), now(), now())).hasSize(1);
        assertThat(billing().contractsOfHost(host.id(), m.id(), now(), now())).hasSize(1);

        repos().instances().markDestroyed(i.id(), now());
        assertThat(billing().unmetered(now().plusSeconds(1))).isEmpty();
        assertThat(billing().changesAfter(0)).extracting(StatusChange::status).containsExactly("destroyed");
    }

    @Test
    default void silent_machines_are_those_last_heard_from_before_a_cutoff() {
        Machine heard = machine(user("host"), 1);
        Machine never = machine(user("host2"), 1);
        repos().machines().touch(heard.id(), now(), UNKNOWN_AFTER);

        assertThat(billing().contactsBefore(now())).containsOnlyKeys(never.id());
        assertThat(billing().contactsBefore(now().plusMillis(1))).containsKeys(heard.id(), never.id());
        assertThat(billing().contacts(List.of(heard.id(), never.id()))).containsOnlyKeys(heard.id());
    }
}
