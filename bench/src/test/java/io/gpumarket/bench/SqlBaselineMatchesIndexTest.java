package io.gpumarket.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.testkit.PostgresCluster;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import org.junit.jupiter.api.Test;

/**
 * Guards the benchmark's baseline: a ratio is only meaningful if PostgreSQL answers the same question, so each
 * benchmark query's SQL must return the index's offers in the index's order. A small market keeps this to
 * seconds; the benchmark itself repeats the check at full size.
 */
class SqlBaselineMatchesIndexTest {
    private static final GpuCatalog CATALOG = GpuCatalog.load();

    @Test
    void every_benchmark_query_returns_the_same_offers_in_sql_as_in_the_index() throws Exception {
        SyntheticMarket market = SyntheticMarket.generate(7, 2_000, SyntheticMarket.NOW);
        IndexHarness index = new IndexHarness(market.index(CATALOG), market.now(), new IndexHarness.Settings(0, 1, 0));
        try (Connection connection =
                DriverManager.getConnection(PostgresCluster.get().newDatabase())) {
            PostgresBaseline sql = new PostgresBaseline(connection);
            sql.load(market, CATALOG);
            for (BenchQuery q : BenchQueries.ALL) {
                try (PreparedStatement ps = sql.prepare(q, market.now())) {
                    assertThat(PostgresBaseline.run(ps))
                            .as(q.name())
                            .isNotEmpty()
                            .isEqualTo(IndexHarness.ids(index.search(q.dsl())));
                }
            }
        }
    }

    @Test
    void the_same_seed_gives_the_same_market() {
        assertThat(SyntheticMarket.generate(11, 500, SyntheticMarket.NOW))
                .isEqualTo(SyntheticMarket.generate(11, 500, SyntheticMarket.NOW));
    }
}
