package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL: a new database per test, on the server {@link PostgresCluster} provides
 * (a throwaway local cluster, or the one named by {@code GPUMARKET_TEST_PG_URL}).
 */
class PostgresStoreContractTest extends StoreContract {

    @Override
    protected Store newStore() {
        return JdbcStore.open(StoreConfig.of(PostgresCluster.get().newDatabase()));
    }

    @Test
    void the_store_names_its_dialect() {
        assertThat(store().dialect()).isEqualTo("postgresql");
    }
}
