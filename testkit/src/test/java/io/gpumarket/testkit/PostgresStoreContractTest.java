package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The store contract on PostgreSQL: a new database per test, on the server {@link PostgresCluster} provides
 * (a throwaway local cluster, or the one named by {@code GPUMARKET_TEST_PG_URL}).
 */
class PostgresStoreContractTest extends StoreContract {

    private String url;

    @Override
    protected Store newStore() {
        url = PostgresCluster.get().newDatabase();
        return JdbcStore.open(StoreConfig.of(url));
    }

    @Test
    void the_store_names_its_dialect() {
        assertThat(store().dialect()).isEqualTo("postgresql");
    }

    @Test
    void its_own_migrations_ran_the_ledger_has_no_foreign_key_and_balances_leave_room_for_updates() throws Exception {
        store();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            ResultSet fk = s.executeQuery(
                    "SELECT count(*) FROM pg_constraint WHERE conrelid = 'ledger'::regclass AND contype = 'f'");
            fk.next();
            assertThat(fk.getInt(1)).isZero();
            ResultSet options = s.executeQuery("SELECT reloptions FROM pg_class WHERE relname = 'account_balances'");
            options.next();
            assertThat(options.getString(1)).contains("fillfactor=50");
        }
    }
}
