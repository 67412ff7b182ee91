package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.User;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.OfferRepo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OfferRepo}: single-use offer ids, replaced as a set, consumed one at a time. */
public interface OfferRepoContract extends StoreFixture {

    @Test
    default void replace_creates_one_offer_per_bundle_in_the_given_order() {
        Machine m = machine(user("host"), 8);

        List<OfferSlot> offers = repos().offers().replace(m.id(), List.of(1, 2, 4, 8), now());

        assertThat(offers).extracting(OfferSlot::numGpus).containsExactly(1, 2, 4, 8);
        assertThat(offers).extracting(OfferSlot::machineId).containsOnly(m.id());
        assertThat(offers).extracting(OfferSlot::id).isSorted().doesNotHaveDuplicates();
        assertThat(repos().offers().activeFor(m.id())).containsExactlyElementsOf(offers);
    }

    @Test
    default void replace_retires_every_old_offer_of_the_machine_and_no_other() {
        User host = user("host");
        Machine m = machine(host, 8);
        Machine other = machine(host, 2);
        List<OfferSlot> old = repos().offers().replace(m.id(), List.of(1, 2), now());
        List<OfferSlot> others = repos().offers().replace(other.id(), List.of(2), now());

        List<OfferSlot> fresh = repos().offers().replace(m.id(), List.of(4), now());

        assertThat(repos().offers().activeFor(m.id())).containsExactlyElementsOf(fresh);
        assertThat(repos().offers().activeFor(other.id())).containsExactlyElementsOf(others);
        assertThat(repos().offers().findActive(old.get(0).id())).isEmpty();
    }

    @Test
    default void offer_ids_are_never_reused_after_replace() {
        User host = user("host");
        Machine m = machine(host, 8);
        Machine other = machine(host, 8);
        List<OfferSlot> issued = repos().offers().replace(m.id(), List.of(1, 2, 4, 8), now());
        repos().offers().consume(issued.get(3).id(), now());

        for (int round = 0; round < 3; round++) {
            long highestIssued = issued.stream().mapToLong(OfferSlot::id).max().orElseThrow();
            List<OfferSlot> next =
                    repos().offers().replace(round % 2 == 0 ? m.id() : other.id(), List.of(1, 2, 4), now());
            assertThat(next).allSatisfy(o -> assertThat(o.id()).isGreaterThan(highestIssued));
            issued = next;
        }
    }

    @Test
    default void replacing_with_no_bundles_leaves_the_machine_without_offers() {
        Machine m = machine(user("host"), 8);
        repos().offers().replace(m.id(), List.of(1, 2), now());

        assertThat(repos().offers().replace(m.id(), List.of(), now())).isEmpty();
        assertThat(repos().offers().activeFor(m.id())).isEmpty();
    }

    @Test
    default void an_offer_is_consumed_only_once() {
        Machine m = machine(user("host"), 8);
        OfferSlot offer = repos().offers().replace(m.id(), List.of(8), now()).get(0);

        assertThat(repos().offers().findActive(offer.id())).contains(offer);
        assertThat(repos().offers().consume(offer.id(), now())).isTrue();
        assertThat(repos().offers().consume(offer.id(), now())).isFalse();
        assertThat(repos().offers().findActive(offer.id())).isEmpty();
        assertThat(repos().offers().consume(404, now())).isFalse();
    }

    @Test
    default void active_offers_are_ordered_by_machine_then_id() {
        User host = user("host");
        Machine a = machine(host, 8);
        Machine b = machine(host, 8);
        List<OfferSlot> ofB = repos().offers().replace(b.id(), List.of(1, 2), now());
        List<OfferSlot> ofA = repos().offers().replace(a.id(), List.of(4, 8), now());
        repos().offers().consume(ofB.get(0).id(), now());

        assertThat(repos().offers().active()).containsExactly(ofA.get(0), ofA.get(1), ofB.get(1));
    }
}
