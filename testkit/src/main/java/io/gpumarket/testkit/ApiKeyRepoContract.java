package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.core.account.ApiKey;
import io.gpumarket.core.account.User;
import io.gpumarket.store.ApiKeyRepo;
import io.gpumarket.store.DuplicateException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link ApiKeyRepo}: keys found by the hash of their secret, soft-deleted by their owner. */
public interface ApiKeyRepoContract extends StoreFixture {

    @Test
    default void a_key_is_found_by_its_hash_with_everything_it_was_created_with() {
        User alice = user("alice");
        Instant expires = now().plus(Duration.ofDays(30));
        ApiKey key = repos().apiKeys().create(alice.id(), "ci", "hash-1", "{\"api\":{}}", expires, now());

        assertThat(key)
                .isEqualTo(new ApiKey(key.id(), alice.id(), "ci", "hash-1", "{\"api\":{}}", now(), expires, null));
        assertThat(repos().apiKeys().findByHash("hash-1")).contains(key);
        assertThat(repos().apiKeys().findByHash("hash-2")).isEmpty();
    }

    @Test
    default void a_key_without_permissions_or_expiry_keeps_them_null() {
        User alice = user("alice");
        repos().apiKeys().create(alice.id(), "default", "hash-1", null, null, now());

        ApiKey found = repos().apiKeys().findByHash("hash-1").orElseThrow();
        assertThat(found.permissions()).isNull();
        assertThat(found.expiresAt()).isNull();
        assertThat(found.usableAt(now())).isTrue();
    }

    @Test
    default void a_deleted_key_is_still_found_by_hash_but_no_longer_usable() {
        User alice = user("alice");
        ApiKey key = repos().apiKeys().create(alice.id(), "old", "hash-1", null, null, now());
        Instant deletedAt = clock().advance(Duration.ofMinutes(5));

        assertThat(repos().apiKeys().delete(alice.id(), key.id(), deletedAt)).isTrue();

        ApiKey found = repos().apiKeys().findByHash("hash-1").orElseThrow();
        assertThat(found.deletedAt()).isEqualTo(deletedAt);
        assertThat(found.usableAt(now())).isFalse();
        assertThat(repos().apiKeys().byUser(alice.id())).isEmpty();
    }

    @Test
    default void deleting_a_key_twice_reports_false_the_second_time() {
        User alice = user("alice");
        ApiKey key = repos().apiKeys().create(alice.id(), "old", "hash-1", null, null, now());

        assertThat(repos().apiKeys().delete(alice.id(), key.id(), now())).isTrue();
        assertThat(repos().apiKeys().delete(alice.id(), key.id(), now())).isFalse();
    }

    @Test
    default void a_user_cannot_delete_someone_elses_key() {
        User alice = user("alice");
        User mallory = user("mallory");
        ApiKey key = repos().apiKeys().create(alice.id(), "ci", "hash-1", null, null, now());

        assertThat(repos().apiKeys().delete(mallory.id(), key.id(), now())).isFalse();
        assertThat(repos().apiKeys().findByHash("hash-1").orElseThrow().usableAt(now()))
                .isTrue();
    }

    @Test
    default void live_keys_of_a_user_are_listed_oldest_first() {
        User alice = user("alice");
        User bob = user("bob");
        ApiKey first = repos().apiKeys().create(alice.id(), "first", "h1", null, null, now());
        ApiKey deleted = repos().apiKeys().create(alice.id(), "deleted", "h2", null, null, now());
        repos().apiKeys().create(bob.id(), "bobs", "h3", null, null, now());
        ApiKey third = repos().apiKeys().create(alice.id(), "third", "h4", null, null, now());
        repos().apiKeys().delete(alice.id(), deleted.id(), now());

        assertThat(repos().apiKeys().byUser(alice.id())).containsExactly(first, third);
    }

    @Test
    default void a_second_key_with_the_same_hash_is_refused() {
        User alice = user("alice");
        repos().apiKeys().create(alice.id(), "a", "hash-1", null, null, now());

        assertThatThrownBy(() -> repos().apiKeys().create(alice.id(), "b", "hash-1", null, null, now()))
                .isInstanceOf(DuplicateException.class)
                .hasMessageContaining("hash");
    }

    @Test
    default void a_live_key_is_found_by_its_owner_and_id_only() {
        User alice = user("alice");
        User bob = user("bob");
        ApiKey key = repos().apiKeys().create(alice.id(), "ci", "hash-1", null, null, now());

        assertThat(repos().apiKeys().find(alice.id(), key.id())).contains(key);
        assertThat(repos().apiKeys().find(bob.id(), key.id())).isEmpty();
        repos().apiKeys().delete(alice.id(), key.id(), now());
        assertThat(repos().apiKeys().find(alice.id(), key.id())).isEmpty();
    }
}
