package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Account environment variables over HTTP ({@code /api/v0/secrets/}, as vast-cli's {@code vastai/api/auth.py} calls
 * them): created, listed masked, updated, deleted, refused with Vast's codes; sealed in the database; handed to the
 * agent in the desired state of the account's instances, where the create request's own {@code env} wins.
 */
class EnvVarsHttpTest {
    static TestServer server;
    static TestServer.Hosted machine;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        machine = server.hostMachine(
                server.newUser(), TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48000), 0.4, Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response secrets(String method, String key, String body) {
        return Http.call(method, server.api() + "/secrets/", key, body);
    }

    @Test
    void a_variable_is_created_listed_masked_updated_and_deleted_as_vastai_expects() {
        var renter = server.newRenter();
        var created = secrets("POST", renter.key(), "{\"key\": \"hf_token\", \"value\": \"hf_abc-1.2\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().get("success").asBoolean()).isTrue();
        assertThat(created.json().get("msg").asText()).contains("HF_TOKEN");

        var shown = secrets("GET", renter.key(), null);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.json().get("success").asBoolean()).isTrue();
        assertThat(shown.json().get("secrets").get("HF_TOKEN").asText()).isEqualTo("*****");
        assertThat(shown.body()).doesNotContain("hf_abc");

        var updated = secrets("PUT", renter.key(), "{\"key\": \"HF_TOKEN\", \"value\": \"hf_new\"}");
        assertThat(updated.status()).as(updated.body()).isEqualTo(200);
        assertThat(updated.json().get("success").asBoolean()).isTrue();

        var deleted = secrets("DELETE", renter.key(), "{\"key\": \"hf_token\"}");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(secrets("GET", renter.key(), null).json().get("secrets").size())
                .isZero();
    }

    @Test
    void refusals_carry_vasts_codes() {
        var renter = server.newRenter();
        assertThat(code(secrets("POST", renter.key(), "{\"key\": \"A\"}"))).isEqualTo("missing_input");
        assertThat(code(secrets("POST", renter.key(), "{\"key\": \"1A\", \"value\": \"x\"}")))
                .isEqualTo("invalid_characters");
        assertThat(code(secrets("POST", renter.key(), "{\"key\": \"A\", \"value\": \"has space\"}")))
                .isEqualTo("invalid_characters");
        assertThat(secrets("POST", renter.key(), "{\"key\": \"A\", \"value\": \"x\"}")
                        .status())
                .isEqualTo(200);
        assertThat(code(secrets("POST", renter.key(), "{\"key\": \"a\", \"value\": \"y\"}")))
                .isEqualTo("existing_key");
        assertThat(code(secrets("PUT", renter.key(), "{\"key\": \"B\", \"value\": \"y\"}")))
                .isEqualTo("nonexistent_key");
        assertThat(code(secrets("DELETE", renter.key(), "{\"key\": \"B\"}"))).isEqualTo("nonexistent_key");
        assertThat(code(secrets("POST", renter.key(), "{\"key\": 5, \"value\": \"y\"}")))
                .isEqualTo("invalid_args");
    }

    @Test
    void an_account_sees_and_changes_only_its_own_variables() {
        var alice = server.newRenter();
        var bob = server.newRenter();
        secrets("POST", alice.key(), "{\"key\": \"ALICE_ONLY\", \"value\": \"a\"}");
        assertThat(secrets("GET", bob.key(), null).json().get("secrets").has("ALICE_ONLY"))
                .isFalse();
        assertThat(code(secrets("DELETE", bob.key(), "{\"key\": \"ALICE_ONLY\"}")))
                .isEqualTo("nonexistent_key");
        assertThat(secrets("GET", alice.key(), null).json().get("secrets").has("ALICE_ONLY"))
                .isTrue();
    }

    @Test
    void the_agent_gets_the_accounts_variables_and_the_requests_own_env_wins_on_a_clash() {
        var renter = server.newRenter();
        secrets("POST", renter.key(), "{\"key\": \"SHARED\", \"value\": \"account\"}");
        secrets("POST", renter.key(), "{\"key\": \"ONLY_ACCOUNT\", \"value\": \"from-account\"}");
        var rented = Rentals.rent(
                server,
                renter,
                machine.id(),
                1,
                "{\"image\": \"ubuntu\", \"disk\": 10, \"env\": {\"SHARED\": \"request\", \"OWN\": \"mine\"}}");

        DesiredInstance d = server.agent(machine).sync().instances().stream()
                .filter(i -> i.id() == rented.id())
                .findFirst()
                .orElseThrow();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (List<String> p : d.env()) env.put(p.get(0), p.get(1));
        assertThat(env)
                .containsEntry("ONLY_ACCOUNT", "from-account")
                .containsEntry("SHARED", "request")
                .containsEntry("OWN", "mine");
        assertThat(d.env().stream().filter(p -> p.get(0).equals("SHARED"))).hasSize(1);

        var shown = Rentals.show(server, renter.key(), rented.id());
        assertThat(shown.toString())
                .as("the instance's own view lists the request's env only")
                .doesNotContain("from-account");
    }

    @Test
    void the_database_files_hold_no_clear_value() throws IOException {
        assumeTrue(TestServer.backend().equals("sqlite"), "the database files are SQLite's");
        var renter = server.newRenter();
        String value = "clear-value-that-must-not-be-stored.7f3a";
        assertThat(secrets("POST", renter.key(), "{\"key\": \"SEALED\", \"value\": \"" + value + "\"}")
                        .status())
                .isEqualTo(200);
        byte[] needle = value.getBytes(StandardCharsets.US_ASCII);
        for (String f : new String[] {"gpumarket.db", "gpumarket.db-wal"}) {
            Path file = server.home().resolve(f);
            if (Files.exists(file))
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .as(f)
                        .doesNotContain(new String(needle, StandardCharsets.ISO_8859_1));
        }
    }

    private static String code(Http.Response r) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        return r.json().get("error").asText();
    }
}
