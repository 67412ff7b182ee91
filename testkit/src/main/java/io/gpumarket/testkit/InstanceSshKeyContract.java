package io.gpumarket.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.core.account.User;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.sshkey.SshKey;
import io.gpumarket.store.SshKeyRepo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SshKeyRepo}'s keys attached to one instance: apart from the account keys, listed per machine for the agent. */
public interface InstanceSshKeyContract extends InstanceFixture {

    @Test
    default void attached_keys_belong_to_their_instance_and_are_not_account_keys() {
        User alice = user("alice");
        Machine m = machine(user("host"), 8);
        Instance a = instance(alice, m);
        Instance b = instance(alice, m);
        SshKey account = repos().sshKeys().create(alice.id(), "ssh-ed25519 AAAA account", now());
        SshKey onA = repos().sshKeys().attach(alice.id(), a.id(), "ssh-ed25519 AAAA only-a", now());

        assertThat(repos().sshKeys().attached(a.id())).containsExactly(onA);
        assertThat(repos().sshKeys().attached(b.id())).isEmpty();
        assertThat(repos().sshKeys().live(alice.id())).containsExactly(account);
        assertThat(repos().sshKeys().find(alice.id(), onA.id())).isEmpty();
        assertThat(repos().sshKeys().update(alice.id(), onA.id(), "ssh-ed25519 AAAA x", now()))
                .isFalse();
        assertThat(repos().sshKeys().delete(alice.id(), onA.id(), now())).isFalse();
        assertThat(onA.id()).isNotEqualTo(account.id());
    }

    @Test
    default void a_key_is_detached_from_its_own_instance_only_and_once() {
        User alice = user("alice");
        Machine m = machine(user("host"), 8);
        Instance a = instance(alice, m);
        Instance b = instance(alice, m);
        SshKey onA = repos().sshKeys().attach(alice.id(), a.id(), "ssh-ed25519 AAAA only-a", now());
        SshKey account = repos().sshKeys().create(alice.id(), "ssh-ed25519 AAAA account", now());

        assertThat(repos().sshKeys().detach(b.id(), onA.id(), now())).isFalse();
        assertThat(repos().sshKeys().detach(a.id(), account.id(), now())).isFalse();
        assertThat(repos().sshKeys().detach(a.id(), onA.id(), now())).isTrue();
        assertThat(repos().sshKeys().detach(a.id(), onA.id(), now())).isFalse();
        assertThat(repos().sshKeys().attached(a.id())).isEmpty();
        assertThat(repos().sshKeys().live(alice.id())).containsExactly(account);
    }

    @Test
    default void a_machine_lists_the_attached_keys_of_its_live_instances() {
        User alice = user("alice");
        Machine m = machine(user("host"), 8);
        Machine other = machine(user("host2"), 8);
        Instance a = instance(alice, m);
        Instance gone = instance(alice, m);
        Instance elsewhere = instance(alice, other);
        repos().sshKeys().attach(alice.id(), a.id(), "ssh-ed25519 AAAA 1", now());
        repos().sshKeys().attach(alice.id(), a.id(), "ssh-ed25519 AAAA 2", now());
        repos().sshKeys().attach(alice.id(), gone.id(), "ssh-ed25519 AAAA gone", now());
        repos().sshKeys().attach(alice.id(), elsewhere.id(), "ssh-ed25519 AAAA elsewhere", now());
        repos().instances().markDestroyed(gone.id(), now());

        assertThat(repos().sshKeys().attachedOnMachine(m.id()))
                .isEqualTo(Map.of(a.id(), List.of("ssh-ed25519 AAAA 1", "ssh-ed25519 AAAA 2")));
    }
}
