package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.bid.BidState;
import io.gpumarket.core.billing.StatusChange;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.NewInstance;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bid contracts in the store: their kind, the arbiter's state, changed bids and the notices that run out. */
public interface BidRepoContract extends InstanceFixture {

    default Instance bid(Machine m, long perGpu) {
        OfferSlot offer = repos().offers().replace(m.id(), List.of(1), now()).get(0);
        return repos().instances()
                .create(
                        new NewInstance(
                                user("renter" + offer.id()).id(),
                                m.id(),
                                offer.id(),
                                1,
                                launch(),
                                null,
                                8,
                                IntendedStatus.RUNNING,
                                0,
                                Map.of(),
                                new ContractPrices(perGpu, 150_000, 0, 0, 1_893_456_000L),
                                0,
                                true),
                        now());
    }

    @Test
    default void a_bid_is_stored_as_one_and_starts_without_gpus() {
        Machine m = machine(user("host"), 2);
        Instance b = bid(m, 300_000);
        assertThat(b.bid()).isTrue();
        assertThat(b.bidState().phase()).isEqualTo(BidState.Phase.IDLE);
        assertThat(b.desiredStatus()).as("not run before the arbiter says so").isEqualTo(IntendedStatus.STOPPED);
        assertThat(repos().instances().liveBids()).extracting(Instance::id).containsExactly(b.id());
    }

    @Test
    default void the_arbiters_state_round_trips_and_bumps_the_revision() {
        Machine m = machine(user("host"), 1);
        Instance b = bid(m, 300_000);
        BidState s = new BidState(
                BidState.Phase.NOTICE,
                "outbid",
                now(),
                now().plusSeconds(60),
                "displaced by on-demand",
                now().minusSeconds(600));
        assertThat(repos().instances().setBidState(b.id(), s, now())).isTrue();
        Instance after = repos().instances().find(b.id()).orElseThrow();
        assertThat(after.bidState()).isEqualTo(s);
        assertThat(after.revision()).isEqualTo(b.revision() + 1);
        assertThat(repos().instances().machinesWithNoticeUntil(now().plusSeconds(59)))
                .isEmpty();
        assertThat(repos().instances().machinesWithNoticeUntil(now().plusSeconds(60)))
                .containsExactly(m.id());
    }

    @Test
    default void a_changed_bid_shows_as_the_price_and_is_recorded_for_billing_not_as_a_status() {
        Machine m = machine(user("host"), 1);
        Instance b = bid(m, 300_000);
        assertThat(repos().instances().setBid(b.id(), 700_000, now().plus(Duration.ofMinutes(5))))
                .isTrue();
        assertThat(repos().instances().find(b.id()).orElseThrow().prices().gpuPerHour())
                .isEqualTo(700_000);
        assertThat(repos().billing().unmetered(now().minusSeconds(1)))
                .filteredOn(c -> c.id() == b.id())
                .extracting(c -> c.prices().gpuPerHour())
                .as("the frozen price billing starts from")
                .containsExactly(300_000L);
        assertThat(repos().billing().changesOf(List.of(b.id())))
                .extracting(StatusChange::gpuPrice)
                .containsExactly(700_000L);
        assertThat(repos().instances().events(b.id())).isEmpty();
    }

    @Test
    default void an_on_demand_contract_has_no_bid_to_change() {
        Machine m = machine(user("host"), 1);
        Instance i = instance(user("renter"), m);
        assertThat(i.bid()).isFalse();
        assertThat(i.bidState()).isEqualTo(BidState.HOLDS);
        assertThat(repos().instances().setBid(i.id(), 1, now())).isFalse();
    }
}
