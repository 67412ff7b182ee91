package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Subaccounts over HTTP (docs/teams.md), as vastai's {@code create subaccount} and {@code show subaccounts} call them:
 * a parent creates an account under itself, funds it with transfers (an exact entry on each side), and sees its
 * credit and usage; the subaccount is an account of its own that reaches nothing of its parent's.
 */
class SubaccountsHttpTest {
    static final FakeClock CLOCK = new FakeClock();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
            .clock(CLOCK)
            .agentTimings(new AgentTimings(Duration.ofMinutes(10), 3, Duration.ofHours(1), Duration.ZERO))
            .billing(BillingConfig.manual())
            .perClass();

    static TestServer.Hosted machine;
    static TestAgent agent;
    static int serial;

    @BeforeAll
    static void start() {
        machine = server.hostMachine(
                server.newUser(),
                TestMachines.machine("RTX 4090", 8, "Oslo, NO", 48000),
                0.5,
                Map.of("verification", "verified"));
        agent = server.agent(machine);
    }

    static JsonNode create(String parentKey) {
        serial++;
        var r = Http.post(
                server.api() + "/users/",
                parentKey,
                "{\"email\": \"sub" + serial + "@example.com\", \"username\": \"sub" + serial
                        + "\", \"password\": \"a-long-password\", \"host_only\": false, \"parent_id\": \"me\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    static double credit(String key) {
        return Http.get(server.api() + "/users/current/", key)
                .json()
                .get("credit")
                .asDouble();
    }

    static JsonNode listed(String parentKey) {
        var r = Http.get(server.api() + "/subaccounts?owner=me", parentKey);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("users");
    }

    @Test
    void a_parent_funds_its_subaccount_with_an_exact_transfer_and_sees_its_credit_and_usage() {
        var parent = server.newRenter(40);
        JsonNode sub = create(parent.key());
        String subKey = sub.get("api_key").asText();
        assertThat(sub.get("parent_id").asLong()).isEqualTo(parent.id());

        var sent = Http.put(
                server.api() + "/commands/transfer_credit/",
                parent.key(),
                "{\"sender\": \"me\", \"recipient\": \"" + sub.get("email").asText() + "\", \"amount\": 12.25}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        assertThat(credit(parent.key())).isEqualTo(27.75);
        assertThat(credit(subKey)).isEqualTo(12.25);

        var rented =
                Rentals.rent(server, subKey, Rentals.offer(server, subKey, machine.id(), 1), "{\"image\": \"ubuntu\"}");
        assertThat(rented.status()).as(rented.body()).isEqualTo(200);
        agent.report(rented.json().get("new_contract").asLong(), "running");
        for (int k = 0; k < 6; k++) {
            CLOCK.advance(Duration.ofMinutes(10));
            agent.sync();
        }
        server.tick();

        JsonNode row = listed(parent.key()).get(0);
        assertThat(row.get("id").asLong()).isEqualTo(sub.get("id").asLong());
        assertThat(row.get("parent_id").asLong()).isEqualTo(parent.id());
        assertThat(row.get("live_instances").asInt()).isEqualTo(1);
        assertThat(row.get("total_charged").asDouble()).isPositive();
        assertThat(row.get("credit").asDouble())
                .isEqualTo(credit(subKey))
                .isCloseTo(12.25 - row.get("total_charged").asDouble(), org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void a_subaccount_reaches_nothing_of_its_parents_and_cannot_make_subaccounts_of_its_own() {
        var parent = server.newRenter(10);
        var rented = Rentals.rent(
                server, parent.key(), Rentals.offer(server, parent.key(), machine.id(), 1), "{\"image\": \"ubuntu\"}");
        long parentInstance = rented.json().get("new_contract").asLong();
        JsonNode sub = create(parent.key());
        String subKey = sub.get("api_key").asText();

        assertThat(Http.get(server.api() + "/instances/" + parentInstance + "/", subKey)
                        .json()
                        .path("instances")
                        .isNull())
                .as("Vast's answer for another's instance")
                .isTrue();
        assertThat(Http.delete(server.api() + "/instances/" + parentInstance + "/", subKey, "")
                        .status())
                .isIn(403, 404);
        assertThat(Http.get(server.api() + "/instances/" + parentInstance + "/", parent.key())
                        .json()
                        .path("instances")
                        .path("id")
                        .asLong())
                .isEqualTo(parentInstance);
        assertThat(listed(subKey)).isEmpty();
        var nested = Http.post(
                server.api() + "/users/",
                subKey,
                "{\"email\": \"nested@example.com\", \"username\": \"nested\", \"parent_id\": \"me\"}");
        assertThat(nested.status()).as(nested.body()).isEqualTo(400);
        var otherParent = Http.post(
                server.api() + "/users/",
                subKey,
                "{\"email\": \"n2@example.com\", \"username\": \"n2\", \"parent_id\": \"" + parent.id() + "\"}");
        assertThat(otherParent.status()).as(otherParent.body()).isEqualTo(400);
        assertThat(listed(server.newUser().key()))
                .as("another user sees none of them")
                .isEmpty();
    }
}
