package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestKeys;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** PUT /users/ sets the settable user fields; users/current shows them, and the legacy ssh_key reaches instances. */
class UserSettingsHttpTest {
    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static Http.Response set(String key, String body) {
        return Http.put(server.api() + "/users/", key, body);
    }

    @Test
    void settings_are_saved_and_shown_by_users_current() {
        TestServer.Account alice = server.newUser();

        var r = set(alice.key(), """
                {"fullname": "Ada Lovelace", "billaddress_city": "London", "balance_threshold": "12.5",
                 "balance_threshold_enabled": true, "username": "ada-%d"}""".formatted(alice.id()));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();

        var u = Http.get(server.api() + "/users/current/", alice.key()).json();
        assertThat(u.get("fullname").asText()).isEqualTo("Ada Lovelace");
        assertThat(u.get("billaddress_city").asText()).isEqualTo("London");
        assertThat(u.get("balance_threshold").asDouble()).isEqualTo(12.5);
        assertThat(u.get("balance_threshold_enabled").asBoolean()).isTrue();
        assertThat(u.get("username").asText()).isEqualTo("ada-" + alice.id());
        assertThat(u.get("credit").isNumber()).isTrue();

        set(alice.key(), "{\"billaddress_city\": null}");
        assertThat(Http.get(server.api() + "/users/current/", alice.key())
                        .json()
                        .has("billaddress_city"))
                .isFalse();
    }

    @Test
    void unknown_and_bad_fields_are_refused_with_vasts_codes() {
        TestServer.Account alice = server.newUser();
        Map<String, String> refusals = Map.of(
                "{}",
                "missing_input",
                "{\"credit\": 1000}",
                "nonexistent_key",
                "{\"email\": \"\"}",
                "empty_input",
                "{\"fullname\": \"" + "x".repeat(300) + "\"}",
                "input_too_long",
                "{\"paypal_email\": \"not-an-email\"}",
                "invalid_characters");

        refusals.forEach((body, code) -> {
            var r = set(alice.key(), body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().get("error").asText()).as(body).isEqualTo(code);
        });
    }

    @Test
    void an_email_or_username_of_another_account_is_refused() {
        TestServer.Account alice = server.newUser();
        TestServer.Account bob = server.newUser();
        String bobEmail = Http.get(server.api() + "/users/current/", bob.key())
                .json()
                .get("email")
                .asText();

        var r = set(alice.key(), "{\"email\": \"" + bobEmail.toUpperCase() + "\"}");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().get("error").asText()).isEqualTo("user_exists");
    }

    @Test
    void the_legacy_ssh_key_is_shown_and_let_into_the_owners_instances() {
        TestServer.Account alice = server.newRenter();
        TestServer.Hosted m = server.hostMachine(
                server.newUser(),
                TestMachines.machine("RTX 4090", 2, "Oslo, NO", 48300),
                0.4,
                Map.of("verification", "verified"));
        long id = Rentals.rentOne(server, alice, m.id()).id();
        TestAgent agent = server.agent(m);
        agent.sync();
        String key = TestKeys.ed25519("legacy");

        assertThat(set(alice.key(), "{\"ssh_key\": " + SshKeysHttpTest.json(key) + "}")
                        .status())
                .isEqualTo(200);

        assertThat(Http.get(server.api() + "/users/current/", alice.key())
                        .json()
                        .get("ssh_key")
                        .asText())
                .isEqualTo(key);
        assertThat(TestAgent.find(agent.sync(), id).sshKeys()).containsExactly(key);
        set(alice.key(), "{\"ssh_key\": \"\"}");
        assertThat(TestAgent.find(agent.sync(), id).sshKeys()).isEmpty();
    }
}
