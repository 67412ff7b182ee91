package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.account.User;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.MachineRepo;
import org.junit.jupiter.api.Test;

/** {@link MachineRepo}: hardware, operator state, listing terms, and the free-GPU count the rent race turns on. */
public interface MachineRepoContract extends StoreFixture {

    @Test
    default void a_registered_machine_is_unverified_unlisted_with_every_gpu_free() {
        User host = user("host");
        Machine m = repos().machines().register(host.id(), MachineSamples.spec(8), "token-1", 0.95, now());

        assertThat(m)
                .isEqualTo(
                        new Machine(m.id(), host.id(), MachineSamples.spec(8), Verification.UNVERIFIED, 0.95, null, 8));
        assertThat(repos().machines().find(m.id())).contains(m);
    }

    @Test
    default void every_spec_field_survives_the_round_trip_including_absent_ones() {
        User host = user("host");
        MachineSpec sparse = new MachineSpec(
                "A100 SXM4",
                2,
                81_920,
                null,
                800,
                12.2,
                null,
                0,
                0,
                0,
                0,
                0,
                0,
                true,
                null,
                null,
                8,
                0,
                64_000,
                false,
                500,
                0,
                null,
                100,
                100,
                null,
                null,
                null,
                null,
                -1,
                -1,
                "Austin, US",
                true,
                false,
                true);
        Machine m = repos().machines().register(host.id(), sparse, "token-1", 0.5, now());

        assertThat(repos().machines().find(m.id()).orElseThrow().spec()).isEqualTo(sparse);
    }

    @Test
    default void a_machine_is_found_by_its_token_hash_and_by_its_host() {
        User host = user("host");
        User other = user("other");
        Machine a = repos().machines().register(host.id(), MachineSamples.spec(4), "token-a", 0.9, now());
        Machine b = repos().machines().register(host.id(), MachineSamples.spec(2), "token-b", 0.9, now());
        machine(other, 1);

        assertThat(repos().machines().findByTokenHash("token-b")).contains(b);
        assertThat(repos().machines().findByTokenHash("token-z")).isEmpty();
        assertThat(repos().machines().byHost(host.id())).containsExactly(a, b);
    }

    @Test
    default void all_machines_are_listed_in_id_order() {
        Machine a = machine(user("h1"), 1);
        Machine b = machine(user("h2"), 2);
        Machine c = machine(user("h3"), 3);

        assertThat(repos().machines().all()).containsExactly(a, b, c);
    }

    @Test
    default void a_second_machine_with_the_same_token_hash_is_refused() {
        User host = user("host");
        repos().machines().register(host.id(), MachineSamples.spec(1), "token-1", 0.9, now());

        assertThatThrownBy(() -> repos().machines().register(host.id(), MachineSamples.spec(1), "token-1", 0.9, now()))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("token");
    }

    @Test
    default void a_machine_of_a_host_that_does_not_exist_is_refused() {
        assertThatThrownBy(() -> repos().machines().register(404, MachineSamples.spec(1), "token-1", 0.9, now()))
                .isNotInstanceOf(DuplicateException.class);
        assertThat(repos().machines().all()).isEmpty();
    }

    @Test
    default void listing_and_unlisting_round_trips_the_terms() {
        Machine m = machine(user("host"), 4);
        Listing terms = MachineSamples.listing(2);

        assertThat(repos().machines().setListing(m.id(), terms, now())).isTrue();
        assertThat(repos().machines().find(m.id()).orElseThrow().listing()).isEqualTo(terms);

        assertThat(repos().machines().setListing(m.id(), null, now())).isTrue();
        assertThat(repos().machines().find(m.id()).orElseThrow().listed()).isFalse();
    }

    @Test
    default void verification_and_reliability_can_be_changed() {
        Machine m = machine(user("host"), 4);

        assertThat(repos().machines().setVerification(m.id(), Verification.VERIFIED, now()))
                .isTrue();
        assertThat(repos().machines().setReliability(m.id(), 0.75, now())).isTrue();

        assertThat(repos().machines().find(m.id()))
                .contains(m.withVerification(Verification.VERIFIED).withReliability(0.75));
    }

    @Test
    default void a_new_spec_replaces_the_hardware_and_caps_free_gpus_at_the_new_count() {
        Machine m = machine(user("host"), 8);

        assertThat(repos().machines().updateSpec(m.id(), MachineSamples.spec(4), now()))
                .isTrue();
        assertThat(repos().machines().find(m.id())).contains(m.withSpec(MachineSamples.spec(4)));
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(4);

        repos().machines().compareAndSetFreeGpus(m.id(), 4, 1, now());
        repos().machines().updateSpec(m.id(), MachineSamples.spec(8), now());
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(1);
    }

    @Test
    default void changes_to_a_machine_that_does_not_exist_report_false() {
        assertThat(repos().machines().find(404)).isEmpty();
        assertThat(repos().machines().updateSpec(404, MachineSamples.spec(1), now()))
                .isFalse();
        assertThat(repos().machines().setListing(404, MachineSamples.listing(1), now()))
                .isFalse();
        assertThat(repos().machines().setVerification(404, Verification.VERIFIED, now()))
                .isFalse();
        assertThat(repos().machines().setReliability(404, 0.5, now())).isFalse();
        assertThat(repos().machines().compareAndSetFreeGpus(404, 0, 0, now())).isFalse();
    }

    @Test
    default void compare_and_set_free_gpus_succeeds_when_nobody_changed_them() {
        Machine m = machine(user("host"), 8);

        assertThat(repos().machines().compareAndSetFreeGpus(m.id(), 8, 6, now()))
                .isTrue();
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(6);
    }

    @Test
    default void compare_and_set_free_gpus_fails_when_someone_else_changed_them() {
        Machine m = machine(user("host"), 8);
        repos().machines().compareAndSetFreeGpus(m.id(), 8, 6, now());

        assertThat(repos().machines().compareAndSetFreeGpus(m.id(), 8, 4, now()))
                .isFalse();
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(6);
    }

    @Test
    default void free_gpus_never_leave_the_range_zero_to_the_gpu_count() {
        Machine m = machine(user("host"), 8);

        assertThatThrownBy(() -> repos().machines().compareAndSetFreeGpus(m.id(), 8, 9, now()));
        assertThatThrownBy(() -> repos().machines().compareAndSetFreeGpus(m.id(), 8, -1, now()));
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(8);
    }

    @Test
    default void a_heartbeat_is_remembered_without_changing_the_machine() {
        Machine m = machine(user("host"), 2);
        assertThat(repos().machines().lastSeen(m.id())).isEmpty();

        clock().advance(java.time.Duration.ofSeconds(7));
        assertThat(repos().machines().touch(m.id(), now(), java.time.Duration.ofSeconds(30)))
                .isTrue();

        assertThat(repos().machines().lastSeen(m.id())).contains(now());
        assertThat(repos().machines().find(m.id())).contains(m);
        assertThat(repos().machines().touch(404_404, now(), java.time.Duration.ofSeconds(30)))
                .isFalse();
        assertThat(repos().machines().lastSeen(404_404)).isEmpty();
    }
}
