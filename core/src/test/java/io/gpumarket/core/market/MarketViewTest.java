package io.gpumarket.core.market;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MarketViewTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void percentiles_of_merged_distributions_are_exact() {
        PriceDistribution a = PriceDistribution.parse("100:1,300:1");
        PriceDistribution b =
                PriceDistribution.parse(new PriceDistribution().add(200, 2).text());
        PriceDistribution all = new PriceDistribution().addAll(a).addAll(b);
        assertThat(all.text()).isEqualTo("100:1,200:2,300:1");
        assertThat(all.gpus()).isEqualTo(4);
        assertThat(all.percentile(10)).isEqualTo(100);
        assertThat(all.percentile(50)).isEqualTo(200);
        assertThat(all.percentile(90)).isEqualTo(300);
        assertThat(new PriceDistribution().percentile(50)).isNull();
    }

    @Test
    void a_snapshot_groups_machines_and_figures_sum_the_groups_a_filter_admits() {
        List<Supply> machines = List.of(
                new Supply(1, "RTX 4090", 4, 1, 3, 400_000L, true, false, "Oslo, NO"),
                new Supply(2, "RTX 4090", 8, 8, 0, 380_000L, false, true, "Austin, US"),
                new Supply(3, "RTX 4090", 2, 0, 0, null, false, false, "Lima, PE"));
        List<Rental> rentals = List.of(new Rental(1, 1, 350_000), new Rental(2, 8, 380_000));
        List<MarketSnapshot> rows = MarketView.snapshot(machines, rentals, T0);
        assertThat(rows).hasSize(2); // the idle unlisted machine is not part of the market
        MarketView.Figures all = MarketView.figures(rows, MarketFilter.ALL).get(0);
        assertThat(all.rentedVerified()).isEqualTo(1);
        assertThat(all.availVerified()).isEqualTo(3);
        assertThat(all.rentedUnverified()).isEqualTo(8);
        assertThat(all.usage()).isEqualTo(75.0);
        assertThat(all.rentedPrices().percentile(50)).isEqualTo(380_000);
        assertThat(all.availPrices().percentile(50)).isEqualTo(400_000);
        assertThat(MarketView.figures(rows, MarketFilter.parse("yes", "all", "all"))
                        .get(0)
                        .total())
                .isEqualTo(4);
        assertThat(MarketView.figures(rows, MarketFilter.parse("all", "secure_cloud", "8"))
                        .get(0)
                        .total())
                .isEqualTo(8);
        assertThat(MarketView.figures(rows, MarketFilter.parse("all", "all", "2")))
                .isEmpty();
        assertThatThrownBy(() -> MarketFilter.parse("maybe", "all", "all")).hasMessageContaining("verified");
        assertThatThrownBy(() -> MarketFilter.parse("all", "all", "3")).hasMessageContaining("num_gpus");
    }

    @Test
    void history_keeps_the_last_snapshot_of_each_step() {
        List<MarketSnapshot> rows = new ArrayList<>();
        for (int minute = 0; minute < 10; minute++)
            rows.add(new MarketSnapshot(
                    T0.plus(Duration.ofMinutes(minute)), "RTX 4090", true, false, 4, minute, 10 - minute, "", ""));
        var series = MarketView.history(rows, MarketFilter.ALL, Set.of("RTX 4090"), T0, Duration.ofMinutes(5));
        assertThat(series).hasSize(1);
        assertThat(series.get(0).at()).containsExactly(T0.plus(Duration.ofMinutes(4)), T0.plus(Duration.ofMinutes(9)));
        assertThat(series.get(0).figures().get(1).rentedVerified()).isEqualTo(9);
        assertThat(MarketView.history(rows, MarketFilter.ALL, Set.of("H100"), T0, Duration.ofMinutes(5)))
                .isEmpty();
    }

    @Test
    void places_are_read_from_city_and_country_code() {
        Supply s = new Supply(1, "X", 1, 0, 1, 1L, false, false, "Oslo, NO");
        assertThat(s.city()).isEqualTo("Oslo");
        assertThat(s.countryCode()).isEqualTo("NO");
        Supply bare = new Supply(1, "X", 1, 0, 1, 1L, false, false, "se");
        assertThat(bare.countryCode()).isEqualTo("SE");
        assertThat(bare.city()).isNull();
    }
}
