package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Account SSH keys: validated on the way in, listed as Vast lists them, and delivered to the owner's machines. */
class SshKeysHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;

    @BeforeAll
    static void start() {
        host = server.newUser();
    }

    static Http.Response add(String key, String publicKey) {
        return Http.post(server.api() + "/ssh/", key, "{\"ssh_key\": " + json(publicKey) + "}");
    }

    static String json(String s) {
        try {
            return io.gpumarket.api.Wire.mapper().writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_key_is_added_listed_replaced_and_deleted() {
        TestServer.Account alice = server.newUser();
        String key = TestKeys.ed25519("alice@laptop");

        var added = add(alice.key(), key + "\n");
        assertThat(added.status()).isEqualTo(200);
        assertThat(added.json().get("success").asBoolean()).isTrue();
        JsonNode k = added.json().get("key");
        assertThat(k.get("id").isIntegralNumber()).isTrue();
        assertThat(k.get("user_id").asLong()).isEqualTo(alice.id());
        assertThat(k.get("public_key").asText()).isEqualTo(key);
        assertThat(k.get("created_at").isNumber()).isTrue();
        assertThat(k.get("deleted_at").isNull()).isTrue();
        long id = k.get("id").asLong();

        var listed = Http.get(server.api() + "/ssh/", alice.key());
        assertThat(listed.json().isArray()).isTrue();
        assertThat(listed.json()).hasSize(1);
        assertThat(listed.json().get(0).get("key").asText()).isEqualTo(key);
        assertThat(listed.json().get(0).get("public_key").asText()).isEqualTo(key);

        String other = TestKeys.ed25519("alice@desktop");
        var replaced = Http.put(
                server.api() + "/ssh/" + id + "/",
                alice.key(),
                "{\"id\": " + id + ", \"ssh_key\": " + json(other) + "}");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("key").get("public_key").asText()).isEqualTo(other);

        assertThat(Http.delete(server.api() + "/ssh/" + id + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(200);
        assertThat(Http.get(server.api() + "/ssh/", alice.key()).json()).isEmpty();
        assertThat(Http.delete(server.api() + "/ssh/" + id + "/", alice.key(), "{}")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void another_users_key_cannot_be_replaced_or_deleted() {
        TestServer.Account alice = server.newUser();
        TestServer.Account bob = server.newUser();
        long id = add(alice.key(), TestKeys.ed25519("a"))
                .json()
                .get("key")
                .get("id")
                .asLong();

        var replace = Http.put(
                server.api() + "/ssh/" + id + "/", bob.key(), "{\"ssh_key\": " + json(TestKeys.ed25519("b")) + "}");
        var delete = Http.delete(server.api() + "/ssh/" + id + "/", bob.key(), "{}");

        assertThat(replace.status()).isEqualTo(404);
        assertThat(replace.json().get("error").asText()).isEqualTo("no_such_ssh_key");
        assertThat(delete.status()).isEqualTo(404);
        assertThat(Http.get(server.api() + "/ssh/", alice.key()).json()).hasSize(1);
    }

    @Test
    void what_is_not_a_public_key_is_refused_with_the_reason() {
        TestServer.Account alice = server.newUser();
        String good = TestKeys.ed25519("x");
        String body = good.split(" ")[1];
        Map<String, String> refusals = Map.of(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
                "private key",
                "ssh-foo " + body,
                "unsupported key type",
                "ssh-ed25519",
                "no key data",
                "ssh-ed25519 not*base64",
                "not base64",
                "ssh-rsa " + body,
                "does not hold a ssh-rsa key",
                "",
                "empty");

        refusals.forEach((text, reason) -> {
            var r = add(alice.key(), text);
            assertThat(r.status()).as(text).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
            assertThat(r.json().get("msg").asText()).as(text).contains(reason);
        });
        assertThat(Http.post(server.api() + "/ssh/", alice.key(), "{}").status())
                .isEqualTo(400);
        assertThat(Http.get(server.api() + "/ssh/", alice.key()).json()).isEmpty();
    }

    @Test
    void nul_characters_are_stripped() {
        TestServer.Account alice = server.newUser();
        String key = TestKeys.ed25519("nul");

        var r = add(alice.key(), key.substring(0, 5) + "\u0000" + key.substring(5));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("key").get("public_key").asText()).isEqualTo(key);
    }

    @Test
    void a_new_or_deleted_key_reaches_every_machine_where_the_owner_has_instances() {
        TestServer.Account alice = server.newRenter();
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 47500), 0.4, Map.of("verification", "verified"));
        TestServer.Hosted elsewhere = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 47600), 0.4, Map.of("verification", "verified"));
        long id = Rentals.rentOne(server, alice, m.id()).id();
        TestAgent agent = server.agent(m);
        TestAgent other = server.agent(elsewhere);
        SyncResponse before = agent.sync();
        long otherBefore = other.sync().revision();
        assertThat(TestAgent.find(before, id).sshKeys()).isEmpty();

        String key = TestKeys.ed25519("new");
        long keyId = add(alice.key(), key).json().get("key").get("id").asLong();

        SyncResponse after = agent.sync();
        assertThat(after.revision()).isGreaterThan(before.revision());
        assertThat(TestAgent.find(after, id).sshKeys()).containsExactly(key);
        assertThat(TestAgent.find(after, id).revision())
                .isGreaterThan(TestAgent.find(before, id).revision());
        assertThat(other.sync().revision())
                .as("machines without her instances are not disturbed")
                .isEqualTo(otherBefore);

        Http.delete(server.api() + "/ssh/" + keyId + "/", alice.key(), "{}");
        assertThat(TestAgent.find(agent.sync(), id).sshKeys()).isEmpty();
    }
}
