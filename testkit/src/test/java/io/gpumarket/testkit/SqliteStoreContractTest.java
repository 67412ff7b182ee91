package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite, in a file under a directory that does not exist yet. */
class SqliteStoreContractTest extends StoreContract {
    @TempDir
    Path tmp;

    private Path file() {
        return tmp.resolve("data/nested/gpumarket.db");
    }

    @Override
    protected Store newStore() {
        return JdbcStore.open(StoreConfig.of("jdbc:sqlite:" + file()));
    }

    @Test
    void the_store_names_its_dialect() {
        assertThat(store().dialect()).isEqualTo("sqlite");
    }

    @Test
    void the_database_file_is_created_with_its_directories_and_runs_in_wal_mode() {
        user("alice");

        assertThat(file()).isRegularFile();
        // The write-ahead log sits beside the database while connections are open.
        assertThat(Files.exists(Path.of(file() + "-wal"))).isTrue();
    }

    @Test
    void a_reopened_store_keeps_its_data_and_continues_the_offer_ids() {
        Machine m = machine(user("host"), 8);
        List<OfferSlot> before = repos().offers().replace(m.id(), List.of(1, 2, 4, 8), now());
        store().close();

        try (Store reopened = newStore()) {
            assertThat(reopened.repos().machines().find(m.id())).contains(m);
            assertThat(reopened.repos().offers().active()).containsExactlyElementsOf(before);
            OfferSlot next =
                    reopened.repos().offers().replace(m.id(), List.of(8), now()).get(0);
            assertThat(next.id()).isGreaterThan(before.get(3).id());
        }
    }

    @Test
    void an_in_memory_database_is_refused_because_a_pool_cannot_share_it() {
        assertThatThrownBy(() -> JdbcStore.open(StoreConfig.of("jdbc:sqlite::memory:")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SQLite file");
    }
}
