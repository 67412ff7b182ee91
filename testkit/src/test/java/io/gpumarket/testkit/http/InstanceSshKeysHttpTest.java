package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestKeys;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys attached to one instance: listed as Vast lists them, delivered to that instance only, detached by id. */
class InstanceSshKeysHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Hosted machine;

    @BeforeAll
    static void start() {
        host = server.newUser();
        machine = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48100), 0.4, Map.of("verification", "verified"));
    }

    static Http.Response attach(String key, long instance, String publicKey) {
        return Http.post(
                server.api() + "/instances/" + instance + "/ssh/",
                key,
                "{\"ssh_key\": " + SshKeysHttpTest.json(publicKey) + "}");
    }

    /** The list's ssh_keys, which Vast answers as a JSON-encoded string. */
    static JsonNode attached(String key, long instance) throws Exception {
        var r = Http.get(server.api() + "/instances/" + instance + "/ssh/", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("ssh_keys").isTextual()).isTrue();
        return Wire.mapper().readTree(r.json().get("ssh_keys").asText());
    }

    @Test
    void a_key_is_attached_listed_and_detached() throws Exception {
        TestServer.Account alice = server.newRenter();
        long id = Rentals.rentOne(server, alice, machine.id()).id();
        String key = TestKeys.ed25519("alice@ci");

        var added = attach(alice.key(), id, key);
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().get("msg").asText()).isEqualTo("SSH key attached successfully");
        long keyId = added.json().get("key").get("id").asLong();
        assertThat(attach(alice.key(), id, key).json().get("key").get("id").asLong())
                .as("attaching twice is one attachment")
                .isEqualTo(keyId);

        JsonNode list = attached(alice.key(), id);
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("id").asLong()).isEqualTo(keyId);
        assertThat(list.get(0).get("name").asText()).isEqualTo("alice@ci");
        assertThat(list.get(0).get("public_key").asText()).isEqualTo(key);
        assertThat(Http.get(server.api() + "/ssh/", alice.key()).json())
                .as("not an account key")
                .isEmpty();

        var detached = Http.delete(server.api() + "/instances/" + id + "/ssh/" + keyId + "/", alice.key(), "{}");
        assertThat(detached.status()).isEqualTo(200);
        assertThat(detached.json().get("msg").asText()).isEqualTo("SSH key removed from instance.");
        assertThat(attached(alice.key(), id)).isEmpty();
        var again = Http.delete(server.api() + "/instances/" + id + "/ssh/" + keyId + "/", alice.key(), "{}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.json().get("error").asText()).isEqualTo("no_such_ssh_key");
    }

    @Test
    void an_attached_key_reaches_that_instance_only_after_the_account_keys() {
        TestServer.Account alice = server.newRenter();
        long a = Rentals.rentOne(server, alice, machine.id()).id();
        long b = Rentals.rentOne(server, alice, machine.id()).id();
        String account = TestKeys.ed25519("account");
        Http.post(server.api() + "/ssh/", alice.key(), "{\"ssh_key\": " + SshKeysHttpTest.json(account) + "}");
        TestAgent agent = server.agent(machine);
        SyncResponse before = agent.sync();

        String only = TestKeys.ed25519("only-a");
        long keyId = attach(alice.key(), a, only).json().get("key").get("id").asLong();

        SyncResponse after = agent.sync();
        assertThat(after.revision()).isGreaterThan(before.revision());
        assertThat(TestAgent.find(after, a).sshKeys()).containsExactly(account, only);
        assertThat(TestAgent.find(after, b).sshKeys()).containsExactly(account);

        Http.delete(server.api() + "/instances/" + a + "/ssh/" + keyId + "/", alice.key(), "{}");
        assertThat(TestAgent.find(agent.sync(), a).sshKeys()).containsExactly(account);
    }

    @Test
    void an_account_key_cannot_be_detached_from_one_instance_and_the_answer_says_where_to_revoke_it() {
        TestServer.Account alice = server.newRenter();
        long id = Rentals.rentOne(server, alice, machine.id()).id();
        long accountKey = Http.post(
                        server.api() + "/ssh/",
                        alice.key(),
                        "{\"ssh_key\": " + SshKeysHttpTest.json(TestKeys.ed25519("account")) + "}")
                .json()
                .get("key")
                .get("id")
                .asLong();

        var r = Http.delete(server.api() + "/instances/" + id + "/ssh/" + accountKey + "/", alice.key(), "{}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("msg").asText()).contains("account key").contains("/api/v0/ssh/" + accountKey + "/");
    }

    @Test
    void another_users_instance_answers_as_a_missing_one() {
        TestServer.Account alice = server.newRenter();
        TestServer.Account bob = server.newRenter();
        long id = Rentals.rentOne(server, alice, machine.id()).id();
        long missing = id + 100_000;

        var theirs = attach(bob.key(), id, TestKeys.ed25519("bob"));
        var none = attach(bob.key(), missing, TestKeys.ed25519("bob"));
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.json().get("error").asText()).isEqualTo("no_such_instance");
        assertThat(theirs.body().replace(Long.toString(id), "ID"))
                .isEqualTo(none.body().replace(Long.toString(missing), "ID"));
        assertThat(Http.get(server.api() + "/instances/" + id + "/ssh/", bob.key())
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_bad_key_is_refused_with_the_reason() {
        TestServer.Account alice = server.newRenter();
        long id = Rentals.rentOne(server, alice, machine.id()).id();

        var r = attach(alice.key(), id, "-----BEGIN OPENSSH PRIVATE KEY-----");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("msg").asText()).contains("private key");
    }
}
