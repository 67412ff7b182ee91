package io.gpumarket.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A bid changed while the contract runs is charged at the new price from the change on, and only then. */
class RepricingTest {
    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    static final Lifetime ALIVE = new Lifetime(T0, null);

    static Instant at(long millis) {
        return T0.plus(Duration.ofMillis(millis));
    }

    static ContractTerms terms(int gpus, long perGpu) {
        return new ContractTerms(gpus, 0, perGpu, 0, 0, 0, 0);
    }

    static long gpuCharge(ContractTerms t, List<StatusChange> changes, long toMillis) {
        return t.charges(UsageCursor.start(T0)
                        .advance(at(toMillis), changes, List.of(), HostPresence.ALWAYS, ALIVE)
                        .usage(ALIVE))
                .gpu();
    }

    @Test
    void a_raised_bid_costs_more_from_the_change_on_and_not_before() {
        List<StatusChange> changes = List.of(
                new StatusChange(1, 1, at(0), "running"), new StatusChange(2, 1, at(1_800_000), null, 600_000L));
        // 30 minutes at $0.20 and 30 at $0.60, for 2 GPUs
        assertThat(gpuCharge(terms(2, 200_000), changes, 3_600_000)).isEqualTo(2 * (100_000 + 300_000));
        assertThat(gpuCharge(terms(2, 200_000), changes, 1_800_000))
                .as("nothing changes before it")
                .isEqualTo(2 * 100_000);
    }

    @Test
    void a_bid_changed_while_stopped_applies_when_it_runs_again() {
        List<StatusChange> changes = List.of(
                new StatusChange(1, 1, at(0), "running"),
                new StatusChange(2, 1, at(600_000), "stopped"),
                new StatusChange(3, 1, at(900_000), null, 50_000L),
                new StatusChange(4, 1, at(1_200_000), "running"));
        // 10 minutes at $0.30, then (from minute 20) 40 at $0.05
        assertThat(gpuCharge(terms(1, 300_000), changes, 3_600_000)).isEqualTo(50_000 + 33_333);
    }

    /** Charges over any split of time add up to the charge over the whole, with prices changing at odd instants. */
    @Test
    void charges_stay_additive_over_any_split_with_changing_prices() {
        Random r = new Random(11);
        for (int round = 0; round < 300; round++) {
            int gpus = 1 + r.nextInt(8);
            ContractTerms t = terms(gpus, 1 + r.nextInt(9_999_999));
            List<StatusChange> changes = new ArrayList<>();
            long at = 0;
            for (int k = 0; k < 12; k++) {
                at += 1 + r.nextInt(5_000_000);
                changes.add(
                        r.nextInt(3) == 0
                                ? new StatusChange(k, 1, at(at), null, (long) r.nextInt(32_000_000))
                                : new StatusChange(k, 1, at(at), r.nextBoolean() ? "running" : "stopped"));
            }
            long end = at + r.nextInt(5_000_000);
            UsageCursor cursor = UsageCursor.start(T0);
            long charged = 0;
            long prev = 0;
            for (long cut = 0; cut < end; ) {
                cut = Math.min(end, cut + 1 + r.nextInt(3_000_000));
                final long from = cursor.at().toEpochMilli();
                List<StatusChange> pending = changes.stream()
                        .filter(c -> !c.at().isBefore(at(from - T0.toEpochMilli())))
                        .toList();
                cursor = cursor.advance(at(cut), pending, List.of(), HostPresence.ALWAYS, ALIVE);
                long total = t.charges(cursor.usage(ALIVE)).gpu();
                assertThat(total).as("charges never fall").isGreaterThanOrEqualTo(prev);
                charged += total - prev;
                prev = total;
            }
            assertThat(charged).isEqualTo(gpuCharge(t, changes, end));
            // and the exact value: the sum of (running ms × price in force) over the stretches, floored once
            java.math.BigInteger exact = java.math.BigInteger.ZERO;
            String status = null;
            long price = t.gpuPerGpuHour();
            long from = 0;
            for (StatusChange c : changes) {
                long to = c.at().toEpochMilli() - T0.toEpochMilli();
                if ("running".equals(status))
                    exact = exact.add(
                            java.math.BigInteger.valueOf(to - from).multiply(java.math.BigInteger.valueOf(price)));
                from = to;
                if (c.repricing()) price = c.gpuPrice();
                else status = c.status();
            }
            if ("running".equals(status))
                exact = exact.add(
                        java.math.BigInteger.valueOf(end - from).multiply(java.math.BigInteger.valueOf(price)));
            assertThat(charged)
                    .isEqualTo(exact.multiply(java.math.BigInteger.valueOf(gpus))
                            .divide(java.math.BigInteger.valueOf(3_600_000))
                            .longValueExact());
        }
    }
}
