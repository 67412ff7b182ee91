package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.account.User;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.Store;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link Store#inTransaction}: all or nothing, isolated from other callers, and safe to nest. */
public interface TransactionContract extends StoreFixture {

    @Test
    default void a_transaction_commits_all_its_writes_and_returns_the_result() {
        User alice = store().inTransaction(tx -> {
            User u = tx.users().create("alice@example.com", "alice", false, now());
            tx.ledger().append(u.id(), "deposit", 1_000_000, null, null, now());
            return u;
        });

        assertThat(repos().users().find(alice.id())).contains(alice);
        assertThat(repos().ledger().balance(alice.id())).isEqualTo(1_000_000);
    }

    @Test
    default void a_failed_transaction_leaves_nothing_behind() {
        Machine m = machine(user("host"), 8);

        assertThatThrownBy(() -> store().inTransaction(tx -> {
                    User bob = tx.users().create("bob@example.com", "bob", false, now());
                    tx.ledger().append(bob.id(), "deposit", 1_000_000, null, "key-1", now());
                    tx.machines().compareAndSetFreeGpus(m.id(), 8, 0, now());
                    throw new IllegalStateException("payment declined");
                }))
                .hasMessage("payment declined");

        assertThat(repos().users().findByEmail("bob@example.com")).isEmpty();
        assertThat(repos().users().count()).isEqualTo(1);
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(8);
    }

    @Test
    default void a_duplicate_inside_a_transaction_rolls_back_the_whole_transaction() {
        user("alice");

        assertThatThrownBy(() -> store().inTransaction(tx -> {
                    tx.users().create("bob@example.com", "bob", false, now());
                    return tx.users().create("ALICE@example.com", "alice2", false, now());
                }))
                .isInstanceOf(DuplicateException.class);

        assertThat(repos().users().findByEmail("bob@example.com")).isEmpty();
    }

    @Test
    default void replace_inside_a_failed_transaction_keeps_the_old_offers() {
        Machine m = machine(user("host"), 8);
        List<OfferSlot> old = repos().offers().replace(m.id(), List.of(2, 4, 8), now());

        assertThatThrownBy(() -> store().inTransaction(tx -> {
            tx.offers().replace(m.id(), List.of(1), now());
            throw new IllegalStateException("abandoned");
        }));

        assertThat(repos().offers().activeFor(m.id())).containsExactlyElementsOf(old);
    }

    @Test
    default void store_calls_made_inside_a_transaction_join_it() {
        assertThatThrownBy(() -> store().inTransaction(tx -> {
                    User bob = tx.users().create("bob@example.com", "bob", false, now());
                    // Plain repos() and a nested inTransaction on the same thread see (and share the fate of) these
                    // writes.
                    assertThat(repos().users().find(bob.id())).isPresent();
                    repos().ledger().append(bob.id(), "deposit", 5, null, null, now());
                    store().inTransaction(inner -> inner.ledger().append(bob.id(), "deposit", 7, null, null, now()));
                    assertThat(tx.ledger().balance(bob.id())).isEqualTo(12);
                    throw new IllegalStateException("roll it all back");
                }))
                .hasMessage("roll it all back");

        assertThat(repos().users().count()).isZero();
    }

    @Test
    default void uncommitted_writes_are_invisible_to_other_callers() throws Exception {
        CountDownLatch written = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<User> writer = CompletableFuture.supplyAsync(() -> store().inTransaction(tx -> {
            User bob = tx.users().create("bob@example.com", "bob", false, now());
            written.countDown();
            await(release);
            return bob;
        }));

        try {
            assertThat(written.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(repos().users().findByEmail("bob@example.com")).isEmpty();
        } finally {
            release.countDown();
        }
        User bob = writer.get(30, TimeUnit.SECONDS);
        assertThat(repos().users().findByEmail("bob@example.com")).contains(bob);
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
