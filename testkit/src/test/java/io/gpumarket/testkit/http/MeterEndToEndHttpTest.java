package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Billing end to end: a real server, an agent speaking the protocol over HTTP, and the meter ticked on a clock the
 * test moves. Agents here beat every 10 minutes and go unknown after 30 (the slowest the protocol allows), so hours
 * of instance life take a few dozen syncs.
 */
class MeterEndToEndHttpTest {
    static final Instant T0 = FakeClock.DEFAULT_START;
    static final AgentTimings SLOW_BEATS =
            new AgentTimings(Duration.ofMinutes(10), 3, Duration.ofHours(1), Duration.ZERO);

    final FakeClock clock = new FakeClock();
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** Moves the clock to {@code minutes} after the start. */
    void at(double minutes) {
        clock.set(T0.plusMillis(Math.round(minutes * 60_000)));
    }

    TestServer.Hosted machine(TestServer.Account host, double pricePerGpuHour) {
        return server.hostMachine(
                host,
                TestMachines.machine("RTX 4090", 2, "Oslo, NO", 51000),
                pricePerGpuHour,
                Map.of("verification", "verified"));
    }

    static double credit(TestServer server, TestServer.Account a) {
        return Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("credit")
                .asDouble();
    }

    @Test
    void an_instance_run_for_a_known_time_then_stopped_and_destroyed_is_charged_exactly_by_the_rules() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host, 0.389);
        TestAgent agent = server.agent(m);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 20}")
                .id();
        agent.report(id, "loading");
        at(2);
        agent.report(id, "running");
        for (int minute = 12; minute <= 62; minute += 10) {
            at(minute);
            agent.sync();
            if (minute == 32) server.tick();
        }
        // The host falls silent at 62: its instances go unknown at 92, and it is back at 122.
        at(100);
        server.tick();
        at(122);
        agent.report(id, "running");
        for (int minute = 132; minute <= 212; minute += 10) {
            at(minute);
            agent.sync();
            if (minute == 162) server.tick();
        }
        agent.report(id, "stopped");
        for (int minute = 222; minute <= 272; minute += 10) {
            at(minute);
            agent.sync();
            if (minute == 242) server.tick();
        }
        assertThat(Http.delete(server.api() + "/instances/" + id + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        at(300);
        server.tick();

        // GPU: running 2..92 and 122..212 = 3 h at $0.389; disk: 20 GB for 272 min at $0.15/GB/month.
        long gpu = 3 * 389_000;
        long disk = Math.floorDiv(272L * 60_000 * 150_000 * 20_000, 720L * 3_600_000 * 1000);
        assertThat(disk).isEqualTo(18_888);
        JsonNode charges = Http.get(
                        server.api() + "/charges/?format=tree&select_filters="
                                + Http.encode("{\"day\": {\"gte\": " + T0.getEpochSecond() + ", \"lte\": "
                                        + (T0.getEpochSecond() + 86_400) + "}}"),
                        renter.key())
                .json();
        assertThat(charges.get("success").asBoolean()).isTrue();
        assertThat(charges.get("count").asInt()).isEqualTo(1);
        JsonNode result = charges.get("results").get(0);
        assertThat(result.get("source").asText()).isEqualTo("instance-" + id);
        assertThat(result.get("type").asText()).isEqualTo("instance");
        assertThat(result.get("start").asDouble()).isEqualTo(T0.getEpochSecond());
        assertThat(result.get("end").asDouble()).isEqualTo(T0.getEpochSecond() + 272 * 60);
        assertThat(result.get("amount").asDouble()).isEqualTo((gpu + disk) / 1e6);
        JsonNode items = result.get("items");
        assertThat(items.get(0).get("type").asText()).isEqualTo("gpu");
        assertThat(items.get(0).get("amount").asDouble()).isEqualTo(gpu / 1e6);
        assertThat(items.get(0).get("description").asText()).isEqualTo("3.000 hours at $0.389/hour");
        assertThat(items.get(1).get("type").asText()).isEqualTo("disk");
        assertThat(items.get(1).get("amount").asDouble()).isEqualTo(disk / 1e6);
        assertThat(items.get(1).get("description").asText()).isEqualTo("20 GB for 4.533 hours at $0.150/GB/month");
        assertThat(items.get(2).get("type").asText()).isEqualTo("bwu");
        assertThat(items.get(3).get("type").asText()).isEqualTo("bwd");
        assertThat(items.get(2).get("amount").asDouble()
                        + items.get(3).get("amount").asDouble())
                .as("no traffic measured")
                .isZero();

        assertThat(credit(server, renter)).isEqualTo((100_000_000 - gpu - disk) / 1e6);
        assertThat(credit(server, host))
                .as("the host earns what the contract paid (no platform fee)")
                .isEqualTo((gpu + disk) / 1e6);
    }

    /**
     * The server writes a talking machine's contacts only every so often (LastSeen), not at every flush. A host that
     * falls silent just after a contact not yet written must still be charged up to that contact plus the threshold:
     * the contact is written before the meter could take the older stored one for the last.
     */
    @Test
    void
            a_host_that_falls_silent_right_after_a_contact_not_yet_written_is_charged_up_to_that_contact_plus_the_threshold() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(server.newUser(), 0.389);
        TestAgent agent = server.agent(m);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 20}")
                .id();
        agent.report(id, "running");
        server.tick(); // the contact at 0 is written (the first of this machine)
        at(10);
        agent.sync(); // a contact 10 minutes after the one written: not due yet
        server.tick();
        at(41); // silent for 31 minutes: unknown from 40 (10 + 30), not from 30 (0 + 30)
        server.tick();
        assertThat(Http.delete(server.api() + "/instances/" + id + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        at(60);
        server.tick();

        JsonNode charges = Http.get(
                        server.api() + "/charges/?format=tree&select_filters="
                                + Http.encode("{\"day\": {\"gte\": " + T0.getEpochSecond() + ", \"lte\": "
                                        + (T0.getEpochSecond() + 86_400) + "}}"),
                        renter.key())
                .json();
        JsonNode gpu = charges.get("results").get(0).get("items").get(0);
        assertThat(gpu.get("type").asText()).isEqualTo("gpu");
        assertThat(gpu.get("description").asText()).isEqualTo("0.667 hours at $0.389/hour");
    }

    @Test
    void an_account_that_runs_out_of_credit_has_its_instances_stopped_while_storage_keeps_accruing() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account renter = server.newRenter(0.50);
        TestServer.Hosted m = machine(server.newUser(), 0.389);
        TestAgent agent = server.agent(m);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 20}")
                .id();
        agent.report(id, "running");
        for (int minute = 10; minute <= 60; minute += 10) {
            at(minute);
            agent.sync();
            server.tick();
            assertThat(Rentals.show(server, renter.key(), id)
                            .get("intended_status")
                            .asText())
                    .isEqualTo("running");
        }
        for (int minute = 70; minute <= 90; minute += 10) {
            at(minute);
            agent.sync();
        }
        var tick = server.tick();

        assertThat(tick.stopped()).isEqualTo(1);
        assertThat(credit(server, renter)).isNegative();
        JsonNode shown = Rentals.show(server, renter.key(), id);
        assertThat(shown.get("intended_status").asText()).isEqualTo("stopped");
        assertThat(shown.get("status_msg").asText()).contains("out of credit");
        SyncResponse desired = agent.sync();
        assertThat(TestAgent.find(desired, id).intendedStatus())
                .as("the agent is told to stop it")
                .isEqualTo("stopped");

        agent.report(id, "stopped");
        double before = credit(server, renter);
        at(150);
        agent.sync();
        server.tick();
        long storageOnly = Math.floorDiv(150L * 60_000 * 150_000 * 20_000, 720L * 3_600_000 * 1000)
                - Math.floorDiv(90L * 60_000 * 150_000 * 20_000, 720L * 3_600_000 * 1000);
        assertThat(Math.round((before - credit(server, renter)) * 1e6))
                .as("only storage while stopped")
                .isEqualTo(storageOnly);
        assertThat(Rentals.show(server, renter.key(), id))
                .as("nothing is destroyed without a grace period")
                .isNotNull();

        var start = Http.put(server.api() + "/instances/" + id + "/", renter.key(), "{\"state\": \"running\"}");
        assertThat(start.status()).isEqualTo(400);
        assertThat(start.json().get("error").asText()).isEqualTo("missing_billing");

        server.credit(renter, 10);
        assertThat(Http.put(server.api() + "/instances/" + id + "/", renter.key(), "{\"state\": \"running\"}")
                        .status())
                .isEqualTo(200);
        assertThat(Rentals.show(server, renter.key(), id).get("status_msg").asText())
                .doesNotContain("credit");
    }

    @Test
    void with_a_grace_period_an_unpaid_stopped_instance_is_destroyed_once_it_has_passed() {
        server = TestServer.start(clock, SLOW_BEATS, BillingConfig.manual().withDestroyGrace(Duration.ofHours(1)));
        TestServer.Account renter = server.newRenter(0.40);
        TestServer.Hosted m = machine(server.newUser(), 0.389);
        TestAgent agent = server.agent(m);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 20}")
                .id();
        agent.report(id, "running");
        for (int minute = 10; minute <= 70; minute += 10) {
            at(minute);
            agent.sync();
        }
        assertThat(server.tick().stopped()).isEqualTo(1);
        at(100);
        agent.sync();
        assertThat(server.tick().destroyed()).as("within the grace period").isZero();

        at(131);
        agent.sync();
        assertThat(server.tick().destroyed()).isEqualTo(1);
        assertThat(Rentals.show(server, renter.key(), id).isNull()).isTrue();
    }

    @Test
    void the_balance_shown_reflects_charges_as_soon_as_the_meter_ticks() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account renter = server.newRenter(10);
        TestServer.Hosted m = machine(server.newUser(), 1.0);
        TestAgent agent = server.agent(m);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 1}")
                .id();
        agent.report(id, "running");
        clock.advance(Duration.ofSeconds(36));
        server.tick();

        long expected = 10_000 + Math.floorDiv(36_000L * 150_000 * 1000, 720L * 3_600_000 * 1000);
        assertThat(credit(server, renter)).isEqualTo((10_000_000 - expected) / 1e6);
    }
}
