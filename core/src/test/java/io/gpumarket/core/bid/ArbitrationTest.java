package io.gpumarket.core.bid;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ArbitrationTest {
    @Test
    void the_highest_bid_runs_and_a_lower_one_is_outbid() {
        Map<Long, Verdict> v =
                Arbitration.decide(2, List.of(Claim.bid(1, 2, 300_000, true), Claim.bid(2, 2, 400_000, true)));
        assertThat(v).containsEntry(2L, Verdict.HOLDS).containsEntry(1L, Verdict.OUTBID);
    }

    @Test
    void on_demand_always_holds_and_displaces_bids() {
        Map<Long, Verdict> v =
                Arbitration.decide(2, List.of(Claim.bid(1, 2, 9_000_000, true), Claim.onDemand(2, 1, 100_000, false)));
        assertThat(v).containsEntry(2L, Verdict.HOLDS).containsEntry(1L, Verdict.DISPLACED_BY_ON_DEMAND);
    }

    @Test
    void equal_bids_go_to_the_older_contract() {
        Map<Long, Verdict> v =
                Arbitration.decide(1, List.of(Claim.bid(7, 1, 500_000, true), Claim.bid(3, 1, 500_000, true)));
        assertThat(v).containsEntry(3L, Verdict.HOLDS).containsEntry(7L, Verdict.OUTBID);
    }

    @Test
    void a_smaller_lower_bid_fills_the_gap_a_larger_one_leaves() {
        Map<Long, Verdict> v = Arbitration.decide(
                4,
                List.of(
                        Claim.bid(1, 3, 900_000, true),
                        Claim.bid(2, 2, 800_000, true),
                        Claim.bid(3, 1, 100_000, true)));
        assertThat(v)
                .containsEntry(1L, Verdict.HOLDS)
                .containsEntry(2L, Verdict.OUTBID)
                .containsEntry(3L, Verdict.HOLDS);
    }

    @Test
    void a_stopped_bid_claims_nothing_and_lets_lower_bids_run() {
        Map<Long, Verdict> v =
                Arbitration.decide(1, List.of(Claim.bid(1, 1, 900_000, false), Claim.bid(2, 1, 100_000, true)));
        assertThat(v).containsEntry(1L, Verdict.IDLE).containsEntry(2L, Verdict.HOLDS);
    }

    @Test
    void the_minimum_bid_is_the_floor_on_an_empty_machine_and_one_micro_above_the_bid_to_displace() {
        assertThat(Arbitration.minimumBid(2, List.of(), 2, 50_000)).isEqualTo(50_000);
        List<Claim> two = List.of(Claim.bid(1, 1, 300_000, true), Claim.bid(2, 1, 200_000, true));
        assertThat(Arbitration.minimumBid(2, two, 1, 50_000)).isEqualTo(200_001);
        assertThat(Arbitration.minimumBid(2, two, 2, 50_000)).isEqualTo(300_001);
        assertThat(Arbitration.minimumBid(2, List.of(Claim.onDemand(3, 2, 1, true)), 1, 50_000))
                .isEqualTo(-1);
    }

    /** Properties over random machines: the rules the docs promise, checked on every outcome. */
    @Test
    void random_machines_keep_every_promise() {
        Random r = new Random(7);
        for (int round = 0; round < 5_000; round++) {
            int n = 1 + r.nextInt(8);
            List<Claim> claims = new ArrayList<>();
            int od = 0;
            long id = 1;
            for (int k = r.nextInt(7); k > 0; k--) {
                int g = 1 + r.nextInt(n);
                boolean bid = r.nextBoolean();
                if (!bid && od + g > n) continue;
                if (!bid) od += g;
                claims.add(new Claim(id++, bid, g, 1 + r.nextInt(5) * 100_000L, r.nextInt(5) > 0));
            }
            Map<Long, Verdict> v = Arbitration.decide(n, claims);
            int held = 0;
            for (Claim c : claims) {
                Verdict x = v.get(c.id());
                if (!c.bid()) assertThat(x).isEqualTo(Verdict.HOLDS);
                if (c.bid() && !c.wantsToRun()) assertThat(x).isEqualTo(Verdict.IDLE);
                if (x == Verdict.HOLDS) held += c.gpus();
            }
            assertThat(held).as("GPUs held never exceed the machine").isLessThanOrEqualTo(n);
            for (Claim waiting : claims) {
                if (!v.get(waiting.id()).waits()) continue;
                // a waiting bid is never beaten by a lower-priority bid that could have made room for it
                int freeForIt = n - od;
                for (Claim c : claims) {
                    if (c.bid() && v.get(c.id()) == Verdict.HOLDS && Arbitration.PRIORITY.compare(c, waiting) < 0) {
                        freeForIt -= c.gpus();
                    }
                }
                assertThat(waiting.gpus())
                        .as("waiting bid %s of %s", waiting, claims)
                        .isGreaterThan(freeForIt);
            }
            List<Claim> shuffled = new ArrayList<>(claims);
            Collections.shuffle(shuffled, r);
            assertThat(Arbitration.decide(n, shuffled))
                    .as("order of claims does not matter")
                    .isEqualTo(v);
            int size = 1 + r.nextInt(n);
            long min = Arbitration.minimumBid(n, claims, size, 50_000);
            if (min >= 0) {
                List<Claim> with = new ArrayList<>(claims);
                with.add(Claim.bid(id, size, min, true));
                assertThat(Arbitration.decide(n, with).get(id))
                        .as("bidding the minimum runs")
                        .isEqualTo(Verdict.HOLDS);
                if (min > 50_000) {
                    with.set(with.size() - 1, Claim.bid(id, size, min - 1, true));
                    assertThat(Arbitration.decide(n, with).get(id))
                            .as("a micro-dollar less does not")
                            .isNotEqualTo(Verdict.HOLDS);
                }
            } else {
                assertThat(size).isGreaterThan(n - od);
            }
        }
    }
}
