package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The account's audit log ({@code GET /api/v0/audit_logs/}, vastai's {@code show audit-logs}): each state-changing
 * call that succeeded, with who, which key (its id), what, when and from where, newest first, in vastai's columns;
 * reads, searches and refused calls are not in it, nor any request body, and an account sees its own entries only.
 */
class AuditLogHttpTest {
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

    static List<JsonNode> log(String key) {
        var r = Http.get(server.api() + "/audit_logs/", key);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    @Test
    void the_log_shows_each_state_changing_call_with_its_key_id_route_target_and_address_newest_first() {
        var renter = server.newRenter();
        Http.post(server.api() + "/secrets/", renter.key(), "{\"key\": \"AUDITED\", \"value\": \"not-in-the-log\"}");
        var rented = Rentals.rentOne(server, renter, machine.id());
        Http.put(server.api() + "/instances/" + rented.id() + "/", renter.key(), "{\"label\": \"audited\"}");
        Http.get(server.api() + "/instances/" + rented.id() + "/", renter.key());

        List<JsonNode> entries = log(renter.key());
        assertThat(entries).hasSize(3);
        JsonNode label = entries.get(0);
        assertThat(label.get("method").asText()).isEqualTo("PUT");
        assertThat(label.get("api_route").asText()).isEqualTo("/api/v0/instances/{id}/");
        assertThat(label.get("args").get("id").asText()).isEqualTo(Long.toString(rented.id()));
        assertThat(label.get("ip_address").asText()).isEqualTo("127.0.0.1");
        assertThat(label.get("api_key_id").asLong()).isPositive();
        assertThat(label.get("created_at").asDouble()).isPositive();
        assertThat(label.get("status").asInt()).isEqualTo(200);
        assertThat(entries.get(1).get("api_route").asText()).isEqualTo("/api/v0/asks/{id}/");
        assertThat(entries.get(2).get("api_route").asText()).isEqualTo("/api/v0/secrets/");
        assertThat(entries.get(2).get("route_name").asText()).isEqualTo("api.secrets.create");
        assertThat(entries.toString()).doesNotContain("not-in-the-log").doesNotContain(renter.key());
    }

    @Test
    void refused_calls_and_reads_are_not_recorded_and_an_account_sees_only_its_own_entries() {
        var alice = server.newRenter();
        var bob = server.newRenter();
        Http.post(server.api() + "/secrets/", alice.key(), "{\"key\": \"ONE\", \"value\": \"v\"}");
        Http.post(server.api() + "/secrets/", alice.key(), "{\"key\": \"ONE\", \"value\": \"v\"}"); // existing_key
        Http.get(server.api() + "/secrets/", alice.key());
        Http.put(server.api() + "/instances/987654/", bob.key(), "{\"label\": \"x\"}"); // not bob's

        assertThat(log(alice.key())).hasSize(1);
        assertThat(log(bob.key())).isEmpty();
    }

    @Test
    void the_key_id_is_the_id_of_the_key_that_made_the_call() {
        var renter = server.newRenter();
        var made = Http.post(
                server.api() + "/auth/apikeys/",
                renter.key(),
                "{\"name\": \"second\", \"permissions\": {\"api\": {\"user_write\": {}}}}");
        assertThat(made.status()).as(made.body()).isEqualTo(200);
        String second = made.json().get("key").asText();
        long secondId = made.json().get("id").asLong();
        Http.post(server.api() + "/secrets/", second, "{\"key\": \"BY_SECOND\", \"value\": \"v\"}");

        JsonNode newest = log(renter.key()).get(0);
        assertThat(newest.get("api_key_id").asLong()).isEqualTo(secondId);
        assertThat(newest.get("route_name").asText()).isEqualTo("api.secrets.create");
    }

    @Test
    void limit_and_before_id_page_back_and_a_bad_limit_is_a_400() {
        var renter = server.newRenter();
        for (int i = 0; i < 5; i++)
            Http.post(server.api() + "/secrets/", renter.key(), "{\"key\": \"P" + i + "\", \"value\": \"v\"}");
        var page = Http.get(server.api() + "/audit_logs/?limit=2", renter.key()).json();
        assertThat(page.size()).isEqualTo(2);
        long last = page.get(1).get("id").asLong();
        var next = Http.get(server.api() + "/audit_logs/?limit=10&before_id=" + last, renter.key())
                .json();
        assertThat(next.size()).isEqualTo(3);
        assertThat(next.get(0).get("id").asLong()).isLessThan(last);
        var bad = Http.get(server.api() + "/audit_logs/?limit=0", renter.key());
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).isEqualTo("invalid_args");
    }
}
