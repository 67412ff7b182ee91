package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.account.User;
import io.gpumarket.store.LedgerRepo;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link LedgerRepo}: the append-only credit ledger, idempotent per (user, key). */
public interface LedgerRepoContract extends StoreFixture {

    @Test
    default void a_user_without_entries_has_a_zero_balance() {
        assertThat(repos().ledger().balance(user("alice").id())).isZero();
    }

    @Test
    default void the_balance_is_the_sum_of_the_users_entries() {
        User alice = user("alice");
        User bob = user("bob");
        repos().ledger().append(alice.id(), "deposit", 10_000_000, "top-up", null, now());
        repos().ledger().append(alice.id(), "charge", -2_500_000, "instance 7", null, now());
        repos().ledger().append(bob.id(), "deposit", 99_000_000, null, null, now());

        assertThat(repos().ledger().balance(alice.id())).isEqualTo(7_500_000);
    }

    @Test
    default void balances_beyond_two_billion_micro_dollars_do_not_overflow() {
        User whale = user("whale");
        repos().ledger().append(whale.id(), "deposit", 3_000_000_000_000L, null, null, now());
        repos().ledger().append(whale.id(), "deposit", 3_000_000_000_000L, null, null, now());

        assertThat(repos().ledger().balance(whale.id())).isEqualTo(6_000_000_000_000L);
    }

    @Test
    default void entries_are_listed_oldest_first_with_everything_they_were_appended_with() {
        User alice = user("alice");
        LedgerEntry first = repos().ledger().append(alice.id(), "deposit", 5_000_000, "card", "key-1", now());
        clock().advance(Duration.ofHours(1));
        LedgerEntry second = repos().ledger().append(alice.id(), "charge", -1_000, null, null, now());

        assertThat(first)
                .isEqualTo(new LedgerEntry(
                        first.id(), alice.id(), "deposit", 5_000_000, "card", "key-1", FakeClock.DEFAULT_START));
        assertThat(repos().ledger().byUser(alice.id())).containsExactly(first, second);
    }

    @Test
    default void ledger_append_is_idempotent_per_key_and_user() {
        User alice = user("alice");
        LedgerEntry first = repos().ledger().append(alice.id(), "deposit", 5_000_000, "card", "key-1", now());
        clock().advance(Duration.ofMinutes(1));

        LedgerEntry repeat = repos().ledger().append(alice.id(), "deposit", 5_000_000, "card", "key-1", now());

        assertThat(repeat).isEqualTo(first);
        assertThat(repos().ledger().byUser(alice.id())).containsExactly(first);
        assertThat(repos().ledger().balance(alice.id())).isEqualTo(5_000_000);
    }

    @Test
    default void the_same_key_used_by_another_user_is_another_entry() {
        User alice = user("alice");
        User bob = user("bob");
        LedgerEntry ofAlice = repos().ledger().append(alice.id(), "deposit", 1_000_000, null, "key-1", now());
        LedgerEntry ofBob = repos().ledger().append(bob.id(), "deposit", 2_000_000, null, "key-1", now());

        assertThat(ofBob.id()).isNotEqualTo(ofAlice.id());
        assertThat(repos().ledger().balance(bob.id())).isEqualTo(2_000_000);
    }

    @Test
    default void entries_without_a_key_are_never_deduplicated() {
        User alice = user("alice");
        repos().ledger().append(alice.id(), "charge", -100, "tick", null, now());
        repos().ledger().append(alice.id(), "charge", -100, "tick", null, now());

        assertThat(repos().ledger().byUser(alice.id())).hasSize(2);
        assertThat(repos().ledger().balance(alice.id())).isEqualTo(-200);
    }

    @Test
    default void a_repeated_key_inside_a_transaction_leaves_the_transaction_usable() {
        User alice = user("alice");
        repos().ledger().append(alice.id(), "deposit", 1_000_000, null, "key-1", now());

        long balance = store().inTransaction(tx -> {
            tx.ledger().append(alice.id(), "deposit", 1_000_000, null, "key-1", now());
            tx.ledger().append(alice.id(), "charge", -250_000, null, "key-2", now());
            return tx.ledger().balance(alice.id());
        });

        assertThat(balance).isEqualTo(750_000);
        assertThat(repos().ledger().balance(alice.id())).isEqualTo(750_000);
    }

    @Test
    default void the_kept_balance_always_equals_the_sum_of_the_entries() {
        User alice = user("alice");
        repos().ledger().append(alice.id(), "deposit", 7_000_000, null, "k", now());
        repos().ledger().append(alice.id(), "deposit", 7_000_000, null, "k", now());
        repos().ledger().append(alice.id(), "transfer", -2_500_000, null, null, now());

        assertThat(repos().ledger().balance(alice.id()))
                .isEqualTo(repos().ledger().sumOfEntries(alice.id()))
                .isEqualTo(4_500_000);
    }

    @Test
    default void entries_are_listed_by_kind_and_time_range() {
        User alice = user("alice");
        LedgerEntry deposit = repos().ledger().append(alice.id(), "deposit", 1_000_000, null, null, now());
        repos().ledger().append(alice.id(), "charge", -1, null, null, now());
        clock().advance(Duration.ofDays(2));
        repos().ledger().append(alice.id(), "deposit", 2_000_000, null, null, now());

        assertThat(repos().ledger()
                        .byUser(
                                alice.id(),
                                java.util.Set.of("deposit", "transfer"),
                                FakeClock.DEFAULT_START,
                                FakeClock.DEFAULT_START.plus(Duration.ofDays(1))))
                .containsExactly(deposit);
    }

    @Test
    default void balances_can_be_held_for_a_transfer_inside_a_transaction() {
        User alice = user("alice");
        User bob = user("bob");
        repos().ledger().append(alice.id(), "deposit", 1_000_000, null, null, now());

        store().inTransaction(tx -> {
            tx.ledger().lockBalances(java.util.List.of(bob.id(), alice.id()));
            tx.ledger().append(alice.id(), "transfer", -400_000, null, null, now());
            tx.ledger().append(bob.id(), "transfer", 400_000, null, null, now());
            return null;
        });

        assertThat(repos().ledger().balance(alice.id())).isEqualTo(600_000);
        assertThat(repos().ledger().balance(bob.id())).isEqualTo(400_000);
    }
}
