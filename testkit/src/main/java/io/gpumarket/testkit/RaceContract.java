package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.account.User;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Writers racing on one row: each conditional write must have exactly one winner, and writers on different
 * rows must all get through (queued, not refused) however the database serialises them.
 */
public interface RaceContract extends StoreFixture {
    int CONTENDERS = 8;

    @Test
    default void racing_compare_and_set_free_gpus_has_exactly_one_winner() {
        Machine m = machine(user("host"), 8);

        List<Boolean> won =
                Race.run(CONTENDERS, i -> repos().machines().compareAndSetFreeGpus(m.id(), 8, i % 8, now()));

        assertThat(won).containsOnlyOnce(true);
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(won.indexOf(true) % 8);
    }

    @Test
    default void racing_conditional_updates_of_free_gpus_answer_the_updated_row_to_exactly_one_winner() {
        Machine m = machine(user("host"), 8);

        List<java.util.Optional<Machine>> won =
                Race.run(CONTENDERS, i -> repos().machines().setFreeGpusIf(m.id(), 8, i % 8, now()));

        assertThat(won).filteredOn(java.util.Optional::isPresent).hasSize(1);
        Machine winner =
                won.stream().flatMap(java.util.Optional::stream).findFirst().orElseThrow();
        assertThat(winner.freeGpus()).isEqualTo(won.indexOf(java.util.Optional.of(winner)) % 8);
        assertThat(repos().machines().find(m.id()).orElseThrow()).isEqualTo(winner);
    }

    @Test
    default void racing_consumers_of_one_offer_have_exactly_one_winner() {
        Machine m = machine(user("host"), 8);
        OfferSlot offer = repos().offers().replace(m.id(), List.of(8), now()).get(0);

        List<Boolean> won = Race.run(CONTENDERS, i -> repos().offers().consume(offer.id(), now()));

        assertThat(won).containsOnlyOnce(true);
    }

    @Test
    default void racing_appends_under_one_idempotency_key_store_one_entry() {
        User alice = user("alice");

        List<LedgerEntry> entries = Race.run(
                CONTENDERS,
                i -> repos().ledger().append(alice.id(), "deposit", 1_000_000, "attempt " + i, "key-1", now()));

        assertThat(entries).map(LedgerEntry::id).containsOnly(entries.get(0).id());
        assertThat(repos().ledger().byUser(alice.id())).hasSize(1);
        assertThat(repos().ledger().balance(alice.id())).isEqualTo(1_000_000);
    }

    @Test
    default void renting_race_has_one_winner() {
        User host = user("host");
        Machine m = machine(host, 8);
        List<OfferSlot> offers = repos().offers().replace(m.id(), List.of(2, 4), now());
        List<User> renters = Race.run(CONTENDERS, i -> user("renter" + i));

        // Every renter wants the 4-GPU offer. Like the real rent, each transaction reads before it writes (on
        // SQLite that is the lock-upgrade deadlock IMMEDIATE transactions prevent), and its writes re-check both
        // the offer and the free count.
        List<Boolean> rented = Race.run(
                CONTENDERS,
                i -> store().inTransaction(tx -> {
                    OfferSlot wanted =
                            tx.offers().findActive(offers.get(1).id()).orElse(null);
                    if (wanted == null) return false;
                    Machine current = tx.machines().find(wanted.machineId()).orElseThrow();
                    if (!tx.offers().consume(wanted.id(), now())) return false;
                    if (!tx.machines()
                            .compareAndSetFreeGpus(
                                    m.id(), current.freeGpus(), current.freeGpus() - wanted.numGpus(), now())) {
                        throw new IllegalStateException("free GPUs changed under a consumed offer");
                    }
                    tx.offers().replace(m.id(), List.of(2, 4), now());
                    tx.ledger().append(renters.get(i).id(), "charge", -400_000, "rent", "rent-" + wanted.id(), now());
                    return true;
                }));

        assertThat(rented).containsOnlyOnce(true);
        User winner = renters.get(rented.indexOf(true));
        assertThat(repos().machines().find(m.id()).orElseThrow().freeGpus()).isEqualTo(4);
        assertThat(repos().ledger().balance(winner.id())).isEqualTo(-400_000);
        assertThat(repos().offers().activeFor(m.id()))
                .hasSize(2)
                .allSatisfy(o -> assertThat(o.id()).isGreaterThan(offers.get(1).id()));
    }

    @Test
    default void writers_on_different_rows_all_get_through() {
        List<User> users = Race.run(
                CONTENDERS,
                i -> store().inTransaction(tx -> {
                    User u = tx.users().create("u" + i + "@example.com", "u" + i, false, now());
                    tx.ledger().append(u.id(), "deposit", i, null, "k", now());
                    return u;
                }));

        assertThat(users).map(User::id).doesNotHaveDuplicates();
        assertThat(repos().users().count()).isEqualTo(CONTENDERS);
    }
}
