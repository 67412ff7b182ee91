package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.User;
import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.store.SshKeyRepo;
import org.junit.jupiter.api.Test;

/** {@link SshKeyRepo}: an account's keys, scoped to their owner, deleted softly. */
public interface SshKeyRepoContract extends StoreFixture {

    @Test
    default void keys_are_listed_oldest_first_and_found_by_their_owner_only() {
        User alice = user("alice");
        User bob = user("bob");
        SshKey a = repos().sshKeys().create(alice.id(), "ssh-ed25519 AAAA a", now());
        SshKey b = repos().sshKeys().create(alice.id(), "ssh-ed25519 AAAA b", now());
        repos().sshKeys().create(bob.id(), "ssh-ed25519 AAAA c", now());

        assertThat(a).isEqualTo(new SshKey(a.id(), alice.id(), "ssh-ed25519 AAAA a", now(), null));
        assertThat(repos().sshKeys().live(alice.id())).containsExactly(a, b);
        assertThat(repos().sshKeys().find(alice.id(), a.id())).contains(a);
        assertThat(repos().sshKeys().find(bob.id(), a.id())).isEmpty();
    }

    @Test
    default void only_the_owner_can_replace_or_delete_a_key() {
        User alice = user("alice");
        User bob = user("bob");
        SshKey a = repos().sshKeys().create(alice.id(), "ssh-ed25519 AAAA a", now());

        assertThat(repos().sshKeys().update(bob.id(), a.id(), "ssh-ed25519 AAAA evil", now()))
                .isFalse();
        assertThat(repos().sshKeys().delete(bob.id(), a.id(), now())).isFalse();
        assertThat(repos().sshKeys().update(alice.id(), a.id(), "ssh-ed25519 AAAA new", now()))
                .isTrue();
        assertThat(repos().sshKeys().find(alice.id(), a.id()).orElseThrow().publicKey())
                .isEqualTo("ssh-ed25519 AAAA new");
    }

    @Test
    default void a_deleted_key_is_gone_from_every_read_and_cannot_be_deleted_twice() {
        User alice = user("alice");
        SshKey a = repos().sshKeys().create(alice.id(), "ssh-ed25519 AAAA a", now());

        assertThat(repos().sshKeys().delete(alice.id(), a.id(), now())).isTrue();
        assertThat(repos().sshKeys().delete(alice.id(), a.id(), now())).isFalse();
        assertThat(repos().sshKeys().live(alice.id())).isEmpty();
        assertThat(repos().sshKeys().find(alice.id(), a.id())).isEmpty();
        assertThat(repos().sshKeys().update(alice.id(), a.id(), "ssh-ed25519 AAAA x", now()))
                .isFalse();
    }
}
