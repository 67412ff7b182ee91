package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.store.NotificationRepo.NewEvent;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

    /**
     * An event recorded in the middle of a transaction no longer holds the global events lock while the transaction
     * goes on to lock rows (it is inserted as the transaction's last step): one transaction records an event and then
     * updates a row that a second transaction holds while it records an event of its own. With the lock taken at the
     * record, the two waited on each other and PostgreSQL aborted one as a deadlock.
     */
    @Test
    void a_transaction_that_records_an_event_then_locks_a_row_does_not_deadlock_with_one_holding_that_row()
            throws Exception {
        Store store = store();
        Instant now = Instant.parse("2026-12-07T12:00:00Z");
        long a = store.repos().users().create("a@example.com", "a", false, now).id();
        long b = store.repos().users().create("b@example.com", "b", false, now).id();
        CountDownLatch rowHeld = new CountDownLatch(1);
        CountDownLatch eventRecorded = new CountDownLatch(1);
        var threads = Executors.newVirtualThreadPerTaskExecutor(); // one each: the two wait on each other
        CompletableFuture<Void> holder = CompletableFuture.runAsync(
                () -> store.inTransaction(tx -> {
                    tx.users().setSshKey(b, "ssh-ed25519 AAAA holder"); // holds b's row to the end
                    rowHeld.countDown();
                    await(eventRecorded);
                    tx.notifications().record(new NewEvent(b, "instance_created", "s", "m", null, null, "{}"), now);
                    return null;
                }),
                threads);
        CompletableFuture<Void> recorder = CompletableFuture.runAsync(
                () -> store.inTransaction(tx -> {
                    await(rowHeld);
                    tx.notifications().record(new NewEvent(a, "instance_created", "s", "m", null, null, "{}"), now);
                    eventRecorded.countDown();
                    tx.users().setSshKey(b, "ssh-ed25519 AAAA recorder"); // waits for the holder's commit
                    return null;
                }),
                threads);
        CompletableFuture.allOf(holder, recorder).get(30, TimeUnit.SECONDS);
        assertThat(store.repos().notifications().events(a, 0, 10)).hasSize(1);
        assertThat(store.repos().notifications().events(b, 0, 10)).hasSize(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) throw new IllegalStateException("the other transaction never came");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
