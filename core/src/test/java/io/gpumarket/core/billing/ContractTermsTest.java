package io.gpumarket.core.billing;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.instance.ContractPrices;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ContractTermsTest {
    static final long HOUR = 3_600_000L;
    /** 2 GPUs at $0.40/GPU/h, 100 GB at $0.15/GB/month, $0.02/GB up, $0.01/GB down, no fee. */
    static final ContractTerms TERMS =
            ContractTerms.of(2, 100, new ContractPrices(400_000, 150_000, 20_000, 10_000, 0), 0);

    @Test
    void an_hour_of_a_two_gpu_bundle_costs_twice_the_per_gpu_price() {
        assertThat(TERMS.charges(new Usage(HOUR, 0, 0, 0)).gpu()).isEqualTo(800_000);
    }

    @Test
    void storage_for_a_720_hour_month_costs_the_monthly_price_per_gb() {
        assertThat(TERMS.charges(new Usage(0, 720 * HOUR, 0, 0)).disk()).isEqualTo(15_000_000);
        assertThat(TERMS.charges(new Usage(0, HOUR, 0, 0)).disk())
                .as("15 $ / 720 h, floored")
                .isEqualTo(20_833);
    }

    @Test
    void traffic_is_charged_per_gb_of_a_billion_bytes() {
        Charges c = TERMS.charges(new Usage(0, 0, 3_000_000_000L, 1_500_000_000L));
        assertThat(c.bwu()).isEqualTo(30_000);
        assertThat(c.bwd()).isEqualTo(30_000);
    }

    @Test
    void charges_over_any_split_of_time_add_up_to_the_charge_over_the_whole() {
        Random random = new Random(42);
        ContractTerms odd = ContractTerms.of(3, 37.5, new ContractPrices(389_123, 123_457, 11_111, 7_777, 0), 0);
        for (int round = 0; round < 200; round++) {
            long total = 1 + random.nextInt(1_000_000_000);
            long at = 0;
            long summed = 0;
            while (at < total) {
                long next = Math.min(total, at + 1 + random.nextInt(10_000_000));
                summed += odd.charges(new Usage(next, next, next * 7, next * 3)).total()
                        - odd.charges(new Usage(at, at, at * 7, at * 3)).total();
                at = next;
            }
            assertThat(summed)
                    .isEqualTo(odd.charges(new Usage(total, total, total * 7, total * 3))
                            .total());
        }
    }

    @Test
    void years_of_usage_at_high_prices_do_not_overflow() {
        ContractTerms big =
                ContractTerms.of(16, 100_000, new ContractPrices(50_000_000, 5_000_000, 1_000_000, 1_000_000, 0), 0);
        long tenYears = 10L * 365 * 24 * HOUR;
        Charges c = big.charges(new Usage(tenYears, tenYears, 0, 0));
        assertThat(c.gpu()).isEqualTo(16L * 50_000_000 * 10 * 365 * 24);
        assertThat(c.disk()).isEqualTo(100_000L * 5_000_000 * 10 * 365 * 24 / 720);
    }

    @Test
    void the_platform_fee_is_floored_so_rounding_goes_to_the_host() {
        ContractTerms tenth = ContractTerms.of(1, 10, new ContractPrices(400_000, 0, 0, 0, 0), 100_000);
        Charges paid = new Charges(999, 0, 0, 0);
        assertThat(tenth.fees(paid).gpu()).isEqualTo(99);
    }

    @Test
    void an_hour_of_credit_covers_gpus_and_storage_rounded_up() {
        assertThat(TERMS.hourly()).isEqualTo(800_000 + 20_834);
    }
}
