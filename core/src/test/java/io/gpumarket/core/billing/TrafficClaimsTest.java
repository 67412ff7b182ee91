package io.gpumarket.core.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.billing.TrafficClaims.Kind;
import io.gpumarket.core.billing.TrafficClaims.RunCounters;
import io.gpumarket.core.billing.TrafficClaims.Verdict;
import org.junit.jupiter.api.Test;

class TrafficClaimsTest {
    static final RunCounters NEW = RunCounters.NEW_RUN;

    @Test
    void a_link_carries_its_rate_times_one_and_a_half_the_elapsed_time_plus_two_seconds() {
        // 800 Mbit/s = 100,000 bytes per ms; 60 s × 1.5 + 2 s = 92 s
        assertThat(TrafficClaims.carriable(800, 60_000)).isEqualTo(9_200_000_000L);
        assertThat(TrafficClaims.carriable(800, 0)).as("the slack alone").isEqualTo(200_000_000L);
    }

    @Test
    void a_machine_without_a_declared_link_is_given_ten_gigabits() {
        assertThat(TrafficClaims.carriable(0, 1000)).isEqualTo(TrafficClaims.carriable(10_000, 1000));
        assertThat(TrafficClaims.carriable(Double.NaN, 1000)).isEqualTo(TrafficClaims.carriable(10_000, 1000));
        assertThat(TrafficClaims.carriable(-5, 1000)).isEqualTo(TrafficClaims.carriable(10_000, 1000));
    }

    @Test
    void centuries_at_the_fastest_link_saturate_instead_of_overflowing() {
        assertThat(TrafficClaims.carriable(1e6, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void growth_within_what_the_link_carries_is_billed_whole() {
        Verdict v =
                TrafficClaims.check(new RunCounters(1_000, 2_000), 5_000_000_000L, 3_000_000_000L, 60_000, 800, 1000);
        assertThat(v.plausible()).isTrue();
        assertThat(v.rxBytes()).isEqualTo(5_000_000_000L - 1_000);
        assertThat(v.txBytes()).isEqualTo(3_000_000_000L - 2_000);
    }

    @Test
    void a_terabyte_uploaded_in_a_minute_on_an_800_megabit_link_is_clamped_to_what_it_carries() {
        Verdict v = TrafficClaims.check(NEW, 0, 1_000_000_000_000L, 60_000, 800, 1000);
        assertThat(v.txBytes()).isEqualTo(9_200_000_000L);
        assertThat(v.rxBytes()).isZero();
        assertThat(v.findings()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.UPLOAD_BEYOND_LINK);
            assertThat(f.claimedBytes()).isEqualTo(1_000_000_000_000L);
            assertThat(f.billedBytes()).isEqualTo(9_200_000_000L);
        });
    }

    @Test
    void counters_near_the_largest_long_are_clamped_like_any_other_jump() {
        Verdict v = TrafficClaims.check(NEW, 9_000_000_000_000_000_000L, 9_000_000_000_000_000_000L, 5_000, 0, 0);
        assertThat(v.findings())
                .extracting(TrafficClaims.Finding::kind)
                .containsExactlyInAnyOrder(Kind.UPLOAD_BEYOND_LINK, Kind.DOWNLOAD_BEYOND_LINK);
        assertThat(v.txBytes()).isEqualTo(TrafficClaims.carriable(10_000, 5_000));
        assertThat(v.rxBytes()).isEqualTo(TrafficClaims.carriable(10_000, 5_000));
    }

    @Test
    void uploads_are_held_to_the_upload_link_and_downloads_to_the_download_link() {
        long up = TrafficClaims.carriable(100, 10_000);
        long down = TrafficClaims.carriable(1000, 10_000);
        Verdict v = TrafficClaims.check(NEW, down, up + 1, 10_000, 100, 1000);
        assertThat(v.rxBytes())
                .as("exactly the download link's worth is believed")
                .isEqualTo(down);
        assertThat(v.txBytes()).isEqualTo(up);
        assertThat(v.findings()).extracting(TrafficClaims.Finding::kind).containsExactly(Kind.UPLOAD_BEYOND_LINK);
    }

    @Test
    void a_counter_of_the_same_run_that_goes_back_bills_nothing_and_is_a_finding() {
        Verdict v = TrafficClaims.check(new RunCounters(5_000, 5_000), 4_000, 6_000, 1_000, 800, 800);
        assertThat(v.rxBytes()).isZero();
        assertThat(v.txBytes()).isEqualTo(1_000);
        assertThat(v.findings()).extracting(TrafficClaims.Finding::kind).containsExactly(Kind.COUNTER_WENT_BACK);
    }

    @Test
    void negative_counters_are_not_claims_at_all() {
        assertThatThrownBy(() -> TrafficClaims.check(NEW, -1, 10, 1_000, 800, 800))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
