package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.account.User;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.UserRepo;
import org.junit.jupiter.api.Test;

/** {@link UserRepo}: accounts, unique by email (ignoring case) and by username. */
public interface UserRepoContract extends StoreFixture {

    @Test
    default void a_new_user_is_found_by_id_and_by_email_in_any_case() {
        User alice = repos().users().create("Alice@Example.com", "alice", true, now());

        assertThat(alice.id()).isPositive();
        assertThat(alice).isEqualTo(new User(alice.id(), "Alice@Example.com", "alice", true, null, now()));
        assertThat(repos().users().find(alice.id())).contains(alice);
        assertThat(repos().users().findByEmail("alice@EXAMPLE.COM")).contains(alice);
    }

    @Test
    default void an_unknown_user_is_not_found() {
        assertThat(repos().users().find(404)).isEmpty();
        assertThat(repos().users().findByEmail("nobody@example.com")).isEmpty();
    }

    @Test
    default void a_second_user_with_the_same_email_is_refused() {
        repos().users().create("alice@example.com", "alice", false, now());

        assertThatThrownBy(() -> repos().users().create("ALICE@example.com", "alice2", false, now()))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("email")
                .hasMessageContaining("ALICE@example.com");
        assertThat(repos().users().count()).isEqualTo(1);
    }

    @Test
    default void a_second_user_with_the_same_username_is_refused() {
        repos().users().create("alice@example.com", "alice", false, now());

        assertThatThrownBy(() -> repos().users().create("other@example.com", "alice", false, now()))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("username")
                .hasMessageContaining("alice");
    }

    @Test
    default void users_without_a_username_do_not_collide() {
        repos().users().create("a@example.com", null, false, now());
        repos().users().create("b@example.com", null, false, now());

        assertThat(repos().users().count()).isEqualTo(2);
    }

    @Test
    default void users_are_listed_in_id_order_and_counted() {
        User a = user("a");
        User b = user("b");
        User c = user("c");

        assertThat(repos().users().all()).containsExactly(a, b, c);
        assertThat(repos().users().count()).isEqualTo(3);
    }

    @Test
    default void an_ssh_key_can_be_set_and_cleared() {
        User alice = user("alice");

        assertThat(repos().users().setSshKey(alice.id(), "ssh-ed25519 AAAA alice@laptop"))
                .isTrue();
        assertThat(repos().users().find(alice.id()).orElseThrow().sshKey()).isEqualTo("ssh-ed25519 AAAA alice@laptop");
        assertThat(repos().users().setSshKey(alice.id(), null)).isTrue();
        assertThat(repos().users().find(alice.id()).orElseThrow().sshKey()).isNull();
        assertThat(repos().users().setSshKey(404, "ssh-ed25519 AAAA")).isFalse();
    }

    @Test
    default void settings_start_empty_and_are_replaced_with_email_username_and_key_together() {
        User alice = user("alice");
        User bob = user("bob");
        assertThat(repos().users().settings(alice.id())).isEmpty();

        assertThat(repos().users()
                        .update(
                                alice.id(),
                                "ada@example.com",
                                "ada",
                                "ssh-ed25519 AAAA ada",
                                java.util.Map.of(
                                        "fullname",
                                        "Ada",
                                        "balance_threshold",
                                        12.5,
                                        "balance_threshold_enabled",
                                        true)))
                .isTrue();

        User ada = repos().users().find(alice.id()).orElseThrow();
        assertThat(ada.email()).isEqualTo("ada@example.com");
        assertThat(ada.username()).isEqualTo("ada");
        assertThat(ada.sshKey()).isEqualTo("ssh-ed25519 AAAA ada");
        assertThat(repos().users().settings(alice.id()))
                .containsEntry("fullname", "Ada")
                .containsEntry("balance_threshold", 12.5)
                .containsEntry("balance_threshold_enabled", true);
        assertThat(repos().users().settings(bob.id())).isEmpty();
        assertThat(repos().users().update(404, "x@example.com", "x", null, java.util.Map.of()))
                .isFalse();
    }

    @Test
    default void an_update_to_another_accounts_email_or_username_is_refused() {
        User alice = user("alice");
        user("bob");

        assertThatThrownBy(
                        () -> repos().users().update(alice.id(), "BOB@example.com", "alice", null, java.util.Map.of()))
                .isInstanceOf(io.gpumarket.store.DuplicateException.class)
                .hasMessageContaining("email");
        assertThatThrownBy(
                        () -> repos().users().update(alice.id(), "alice@example.com", "bob", null, java.util.Map.of()))
                .isInstanceOf(io.gpumarket.store.DuplicateException.class)
                .hasMessageContaining("username");
        assertThat(repos().users().find(alice.id()).orElseThrow().email()).isEqualTo("alice@example.com");
    }
}
