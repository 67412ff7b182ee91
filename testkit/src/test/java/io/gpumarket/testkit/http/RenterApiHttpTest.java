package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's remaining renter routes over HTTP, on a clock the test moves (both backends): bulk create answered per
 * offer, a host's price increase invisible to a running contract until its renter accepts it (charged exactly from
 * then on), scheduled jobs fired by the server's own loop (also after a restart), and the account pages: addresses,
 * benchmarks and the invoice search. The audit log shows the changing calls.
 */
class RenterApiHttpTest {
    /** Agents here beat every 10 minutes and go unknown after 30, so an hour of life takes six syncs. */
    static final AgentTimings SLOW_BEATS =
            new AgentTimings(Duration.ofMinutes(10), 3, Duration.ofHours(1), Duration.ZERO);

    final FakeClock clock = new FakeClock();
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
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

    /** An hour of the running instance (the agent heard every 10 minutes), metered; what it cost the renter. */
    double anHour(TestAgent agent, TestServer.Account renter) {
        double before = credit(server, renter);
        for (int i = 0; i < 6; i++) {
            clock.advance(Duration.ofMinutes(10));
            agent.sync();
        }
        server.tick();
        return before - credit(server, renter);
    }

    static List<String> auditedRoutes(TestServer server, TestServer.Account a) {
        List<String> routes = new ArrayList<>();
        for (JsonNode e : Http.get(server.api() + "/audit_logs/", a.key()).json())
            routes.add(e.get("method").asText() + " " + e.get("api_route").asText());
        return routes;
    }

    @Test
    void a_price_increase_is_invisible_to_a_running_contract_until_its_renter_accepts_it() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host, 0.40);
        TestAgent agent = server.agent(m);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(id, "running");
        // an hour: the GPU at $0.40, and 10 GB at $0.15/GB-month, whose cumulative charge is floored to the
        // micro-dollar (2,083 µ$ in each of these hours)
        double atOldPrice = anHour(agent, renter);
        assertThat(micros(atOldPrice)).isEqualTo(400_000 + 2_083);

        var raised = Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + m.id() + ", \"price_gpu\": 0.9}");
        assertThat(raised.status()).as(raised.body()).isEqualTo(200);
        JsonNode pending = Http.get(server.api() + "/instances/pending-price-increases/", renter.key())
                .json();
        assertThat(pending.get("success").asBoolean()).isTrue();
        assertThat(pending.get("count").asInt()).isEqualTo(1);
        assertThat(pending.get("truncated").asBoolean()).isFalse();
        JsonNode row = pending.get("pending_price_increases").get(0);
        assertThat(row.get("contract_id").asLong()).isEqualTo(id);
        assertThat(row.get("host_id").asLong()).isEqualTo(host.id());
        assertThat(row.get("old_gpu_costpersec").asDouble()).isCloseTo(0.40 / 3600, within(1e-12));
        assertThat(row.get("new_gpu_costpersec").asDouble()).isCloseTo(0.90 / 3600, within(1e-12));
        // the host sees nothing of it; nor does another renter
        assertThat(Http.get(server.api() + "/instances/pending-price-increases/", host.key())
                        .json()
                        .get("count")
                        .asInt())
                .isZero();

        // until accepted, the old price holds: the next hour costs exactly what the first did
        assertThat(micros(anHour(agent, renter))).isEqualTo(400_000 + 2_083);
        assertThat(Rentals.show(server, renter.key(), id).get("dph_total").asDouble())
                .isCloseTo(atOldPrice, within(1e-6));

        long pendingId = row.get("pending_price_increase_id").asLong();
        var extra = Http.put(
                server.api() + "/instances/accept-price-increase/",
                renter.key(),
                "{\"pending_price_increase_id\": " + pendingId + ", \"instance_ids\": [" + id + "]}");
        assertThat(extra.status()).isEqualTo(400);
        var notHers = Http.put(
                server.api() + "/instances/accept-price-increase/",
                host.key(),
                "{\"pending_price_increase_id\": " + pendingId + "}");
        assertThat(notHers.status()).isEqualTo(404);
        assertThat(notHers.json().get("error").asText()).isEqualTo("no_pending_price_increase");
        var accepted = Http.put(
                server.api() + "/instances/accept-price-increase/",
                renter.key(),
                "{\"pending_price_increase_id\": " + pendingId + "}");
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(200);
        assertThat(accepted.json().get("success").asBoolean()).isTrue();
        assertThat(accepted.json().get("pending_price_increase_id").asLong()).isEqualTo(pendingId);
        assertThat(accepted.json().get("contract_id").asLong()).isEqualTo(id);

        // from the acceptance on, the new price, exactly
        assertThat(micros(anHour(agent, renter))).isEqualTo(900_000 + 2_083);
        var again = Http.put(
                server.api() + "/instances/accept-price-increase/",
                renter.key(),
                "{\"pending_price_increase_id\": " + pendingId + "}");
        assertThat(again.status()).isEqualTo(404);
        assertThat(auditedRoutes(server, renter)).contains("PUT /api/v0/instances/accept-price-increase/");
    }

    @Test
    void a_rejected_increase_leaves_the_old_price_to_the_contracts_end_and_a_new_renter_pays_the_new_one() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host, 0.40);
        TestAgent agent = server.agent(m);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(id, "running");
        double atOldPrice = anHour(agent, renter);
        Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + m.id() + ", \"price_gpu\": 0.7}");
        long pendingId = Http.get(server.api() + "/instances/pending-price-increases/", renter.key())
                .json()
                .get("pending_price_increases")
                .get(0)
                .get("pending_price_increase_id")
                .asLong();
        var rejected = Http.put(
                server.api() + "/instances/reject-price-increase/",
                renter.key(),
                "{\"pending_price_increase_id\": " + pendingId + "}");
        assertThat(rejected.status()).as(rejected.body()).isEqualTo(200);
        assertThat(rejected.json().get("contract_id").asLong()).isEqualTo(id);
        assertThat(Http.get(server.api() + "/instances/pending-price-increases/", renter.key())
                        .json()
                        .get("count")
                        .asInt())
                .isZero();
        assertThat(micros(anHour(agent, renter))).isEqualTo(micros(atOldPrice));

        TestServer.Account newcomer = server.newRenter(100);
        long second = Rentals.rent(server, newcomer, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        assertThat(Rentals.show(server, newcomer.key(), second).get("dph_total").asDouble() - atOldPrice)
                .isCloseTo(0.30, within(1e-6));
        assertThat(auditedRoutes(server, renter)).contains("PUT /api/v0/instances/reject-price-increase/");
    }

    @Test
    void a_prepaid_deposit_is_drawn_first_at_the_discounted_price_exactly_and_refunded_by_the_rules() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(500);
        TestServer.Hosted m = machine(host, 0.40); // credit_discount_max: Vast's default 0.4
        TestAgent agent = server.agent(m);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(id, "running");
        long hourCharge = micros(anHour(agent, renter));

        // a month of the contract's hourly cost ($0.40 + 10 GB × $0.15/720, the disk rounded up to a micro-dollar)
        long month = (400_000 + 2_084) * 720L;
        var prepaid = Http.put(
                server.api() + "/instances/prepay/" + id + "/", renter.key(), "{\"amount\": " + month / 1e6 + "}");
        assertThat(prepaid.status()).as(prepaid.body()).isEqualTo(200);
        assertThat(prepaid.json().get("timescale").asDouble()).isEqualTo(1.0);
        assertThat(prepaid.json().get("discount_rate").asDouble()).isEqualTo(0.2);
        long creditAfterPrepay = micros(credit(server, renter));
        assertThat(creditAfterPrepay).isEqualTo(500_000_000L - hourCharge - month);

        // the next hour comes out of the deposit, at 20 % off, to the micro-dollar; the credit does not move
        assertThat(micros(anHour(agent, renter))).isZero();
        long discount = hourCharge / 5; // ⌊C × 0.2⌋
        JsonNode balance = Http.get(server.api() + "/instances/balance/" + id + "/", renter.key())
                .json();
        assertThat(micros(balance.get("deposit_balance").asDouble())).isEqualTo(month - (hourCharge - discount));
        assertThat(micros(balance.get("total_discount").asDouble())).isEqualTo(discount);
        assertThat(balance.get("discount_months").asInt()).isEqualTo(1);
        long clawback = discount + (discount * 5 + 99) / 100;
        long refundable = month - (hourCharge - discount) - clawback;
        assertThat(micros(balance.get("refundable_deposit").asDouble())).isEqualTo(refundable);

        // more than the credit: Vast's 411; someone else's instance: as a missing one
        var tooMuch = Http.put(server.api() + "/instances/prepay/" + id + "/", renter.key(), "{\"amount\": 100000}");
        assertThat(tooMuch.status()).isEqualTo(411);
        assertThat(tooMuch.json().get("msg").asText()).isEqualTo("Insufficient credit");
        var foreign = Http.put(server.api() + "/instances/prepay/" + id + "/", host.key(), "{\"amount\": 1}");
        assertThat(foreign.status()).isEqualTo(404);

        // destroying it refunds what is left, less the discount received and 5 % of it
        var destroyed = Http.delete(server.api() + "/instances/" + id + "/", renter.key(), "{}");
        assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
        assertThat(micros(credit(server, renter))).isEqualTo(creditAfterPrepay + refundable);
        assertThat(auditedRoutes(server, renter)).contains("PUT /api/v0/instances/prepay/{id}/");
        JsonNode invoices = Http.get(
                        server.api() + "/invoices?select_filters=" + Http.encode("{\"service\": \"instance_prepay\"}"),
                        renter.key())
                .json();
        assertThat(invoices.size()).isEqualTo(1);
        assertThat(invoices.get(0).get("amount").asDouble()).isEqualTo(-month / 1e6);
    }

    static long micros(double dollars) {
        return Math.round(dollars * 1_000_000);
    }

    @Test
    void bulk_create_rents_each_offer_on_its_own_and_answers_per_offer() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted a = machine(host, 0.40);
        TestServer.Hosted b = machine(host, 0.50);
        long offerA = Rentals.offer(server, renter.key(), a.id(), 1);
        long offerB = Rentals.offer(server, renter.key(), b.id(), 2);
        long missing = 987_654_321L;

        var r = Http.post(
                server.api() + "/asks/bulk/",
                renter.key(),
                "{\"client_id\": \"me\", \"image\": \"busybox\", \"disk\": 10, \"label\": \"bulk\", \"ids\": [" + offerA
                        + ", " + missing + ", " + offerB + "]}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode results = r.json().get("results");
        assertThat(results.size()).isEqualTo(3);
        assertThat(results.get(0).get("id").asLong()).isEqualTo(offerA);
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(1).get("id").asLong()).isEqualTo(missing);
        assertThat(results.get(1).get("success").asBoolean()).isFalse();
        assertThat(results.get(1).get("error").asText()).isEqualTo("no_such_ask");
        assertThat(results.get(2).get("success").asBoolean()).isTrue();
        long first = results.get(0).get("new_contract").asLong();
        long third = results.get(2).get("new_contract").asLong();
        assertThat(Rentals.show(server, renter.key(), first).get("machine_id").asLong())
                .isEqualTo(a.id());
        assertThat(Rentals.show(server, renter.key(), third).get("num_gpus").asInt())
                .isEqualTo(2);
        assertThat(Rentals.show(server, renter.key(), third).get("label").asText())
                .isEqualTo("bulk");

        // the same offer twice in one call: each is tried on its own, and the second finds it gone
        long offerA2 = Rentals.offer(server, renter.key(), a.id(), 1);
        var twice = Http.post(
                server.api() + "/asks/bulk/",
                renter.key(),
                "{\"image\": \"busybox\", \"ids\": [" + offerA2 + ", " + offerA2 + "]}");
        assertThat(twice.json().get("results").get(0).get("success").asBoolean())
                .isTrue();
        assertThat(twice.json().get("results").get(1).get("success").asBoolean())
                .isFalse();
        assertThat(Http.post(server.api() + "/asks/bulk/", renter.key(), "{\"image\": \"busybox\"}")
                        .status())
                .isEqualTo(400);
        assertThat(auditedRoutes(server, renter)).contains("POST /api/v0/asks/bulk/");
    }

    @Test
    void a_scheduled_job_runs_at_its_times_from_the_servers_loop_also_after_a_restart() {
        server = TestServer.start(clock, SLOW_BEATS);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host, 0.40);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        double start = clock.instant().getEpochSecond();
        String job = "{\"start_time\": " + start + ", \"end_time\": " + (start + 86400)
                + ", \"api_endpoint\": \"/api/v0/instances/" + id + "/\", \"request_method\": \"PUT\","
                + " \"request_body\": {\"state\": \"stopped\"}, \"day_of_the_week\": null, \"hour_of_the_day\": null,"
                + " \"frequency\": \"HOURLY\", \"instance_id\": " + id + "}";
        var created = Http.post(server.api() + "/commands/schedule_job/", renter.key(), job);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long jobId = created.json().get("scheduled_job_id").asLong();

        // due at its start: the loop stops the instance within a turn or two, and records how it went
        awaitIntended(renter, id, "stopped");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "ok"
                        .equals(Http.get(server.api() + "/commands/schedule_job/", renter.key())
                                .json()
                                .get(0)
                                .path("last_result")
                                .asText()));
        var duplicate = Http.post(server.api() + "/commands/schedule_job/", renter.key(), job);
        assertThat(duplicate.status()).isEqualTo(422);
        assertThat(duplicate.json().get("scheduled_job_id").asLong()).isEqualTo(jobId);
        JsonNode listed = Http.get(server.api() + "/commands/schedule_job/", renter.key())
                .json()
                .get(0);
        assertThat(listed.get("id").asLong()).isEqualTo(jobId);
        assertThat(listed.get("frequency").asText()).isEqualTo("HOURLY");
        assertThat(listed.get("last_result").asText()).isEqualTo("ok");
        assertThat(listed.get("next_run_at").asDouble()).isEqualTo(start + 3600);

        // started again by hand: nothing happens until the next hour
        setState(renter, id, "running");
        clock.advance(Duration.ofMinutes(59));
        assertThat(Rentals.show(server, renter.key(), id).get("intended_status").asText())
                .isEqualTo("running");
        clock.advance(Duration.ofMinutes(1));
        awaitIntended(renter, id, "stopped");

        // a restarted server carries on from the stored next run
        setState(renter, id, "running");
        server.restart();
        clock.advance(Duration.ofHours(1));
        awaitIntended(renter, id, "stopped");

        var deleted = Http.delete(server.api() + "/commands/schedule_job/" + jobId + "/", renter.key(), "{}");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(Http.get(server.api() + "/commands/schedule_job/", renter.key())
                        .json()
                        .size())
                .isZero();
        assertThat(auditedRoutes(server, renter))
                .contains("POST /api/v0/commands/schedule_job/", "DELETE /api/v0/commands/schedule_job/{id}/");
    }

    @Test
    void scheduled_jobs_refuse_calls_they_cannot_make_and_schedules_vastai_refuses() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Account other = server.newRenter(100);
        TestServer.Hosted m = machine(host, 0.40);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\"}")
                .id();
        double start = clock.instant().getEpochSecond();
        String base =
                "\"start_time\": " + start + ", \"end_time\": " + (start + 86400) + ", \"request_method\": \"PUT\"";
        for (String bad : List.of(
                "{" + base + ", \"api_endpoint\": \"/api/v0/users/\", \"request_body\": {}, \"frequency\": \"HOURLY\"}",
                "{" + base + ", \"api_endpoint\": \"/api/v0/instances/" + id + "/\", \"request_body\":"
                        + " {\"state\": \"stopped\"}, \"frequency\": \"DAILY\"}",
                "{" + base + ", \"api_endpoint\": \"/api/v0/instances/" + id + "/\", \"request_body\":"
                        + " {\"state\": \"stopped\"}, \"frequency\": \"WEEKLY\", \"hour_of_the_day\": 3}",
                "{\"start_time\": " + start + ", \"end_time\": " + start + ", \"request_method\": \"PUT\","
                        + " \"api_endpoint\": \"/api/v0/instances/reboot/" + id + "/\", \"frequency\": \"HOURLY\"}")) {
            var r = Http.post(server.api() + "/commands/schedule_job/", renter.key(), bad);
            assertThat(r.status()).as(bad + " → " + r.body()).isEqualTo(400);
        }
        var notHers = Http.post(
                server.api() + "/commands/schedule_job/",
                other.key(),
                "{" + base + ", \"api_endpoint\": \"/api/v0/instances/" + id
                        + "/\", \"request_body\": {\"state\": \"stopped\"}, \"frequency\": \"HOURLY\"}");
        assertThat(notHers.status()).isEqualTo(404);
        var daily = Http.post(
                server.api() + "/commands/schedule_job/",
                renter.key(),
                "{" + base + ", \"api_endpoint\": \"/api/v0/instances/reboot/" + id
                        + "/\", \"request_body\": {}, \"frequency\": \"DAILY\", \"hour_of_the_day\": 5}");
        assertThat(daily.status()).as(daily.body()).isEqualTo(200);
        JsonNode listed = Http.get(server.api() + "/commands/schedule_job/", renter.key())
                .json()
                .get(0);
        assertThat(listed.get("next_run_at").asDouble()).isEqualTo(start + 5 * 3600);
        var moved = Http.put(
                server.api() + "/commands/schedule_job/" + listed.get("id").asLong() + "/",
                renter.key(),
                "{\"hour_of_the_day\": 7}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        assertThat(Http.get(server.api() + "/commands/schedule_job/", renter.key())
                        .json()
                        .get(0)
                        .get("next_run_at")
                        .asDouble())
                .isEqualTo(start + 7 * 3600);
    }

    @Test
    void account_pages_show_the_callers_addresses_the_machines_benchmarks_and_its_payments() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(25);
        TestServer.Hosted m = machine(host, 0.40);
        Http.post(server.api() + "/secrets/", renter.key(), "{\"key\": \"K\", \"value\": \"v\"}");

        JsonNode ips = Http.get(server.api() + "/users/me/ipaddrs?owner=me", renter.key())
                .json();
        assertThat(ips.get("success").asBoolean()).isTrue();
        assertThat(ips.get("results").get(0).get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(ips.get("results").get(0).get("first_seen").asDouble()).isPositive();
        assertThat(Http.get(server.api() + "/users/" + host.id() + "/ipaddrs", renter.key())
                        .status())
                .isEqualTo(404);

        String filters = Http.encode("{\"name\": {\"eq\": \"dlperf\"}, \"machine_id\": {\"eq\": " + m.id() + "}}");
        JsonNode dlperf = Http.get(
                        server.api() + "/benchmarks/?select_cols=" + Http.encode("[\"*\"]") + "&select_filters="
                                + filters,
                        renter.key())
                .json();
        assertThat(dlperf.size()).isEqualTo(1);
        assertThat(dlperf.get(0).get("model").asText()).isEqualTo("RTX 4090");
        assertThat(dlperf.get(0).get("num_gpus").asInt()).isEqualTo(2);
        assertThat(dlperf.get(0).get("score").asDouble()).isPositive();
        JsonNode fastest = Http.get(
                        server.api() + "/benchmarks/?select_filters=" + Http.encode("{\"name\": \"inet_down\"}")
                                + "&order_by=" + Http.encode("[{\"col\": \"score\", \"dir\": \"desc\"}]") + "&limit=1",
                        renter.key())
                .json();
        assertThat(fastest.size()).isEqualTo(1);
        assertThat(fastest.get(0).get("name").asText()).isEqualTo("inet_down");
        assertThat(Http.get(server.api() + "/benchmarks/?select_filters=" + Http.encode("{\"nope\": 1}"), renter.key())
                        .status())
                .isEqualTo(400);

        JsonNode invoices = Http.get(
                        server.api() + "/invoices?select_cols=" + Http.encode("[\"*\"]") + "&select_filters="
                                + Http.encode("{\"amount_cents\": {\"gte\": 100}}"),
                        renter.key())
                .json();
        assertThat(invoices.size()).isEqualTo(1);
        assertThat(invoices.get(0).get("amount_cents").asLong()).isEqualTo(2500);
        assertThat(invoices.get(0).get("is_credit").asBoolean()).isTrue();
        assertThat(invoices.get(0).get("user_id").asLong()).isEqualTo(renter.id());
        assertThat(Http.get(server.api() + "/invoices", host.key()).json().size())
                .isZero();
    }

    void awaitIntended(TestServer.Account renter, long id, String status) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> status.equals(Rentals.show(server, renter.key(), id)
                        .get("intended_status")
                        .asText()));
    }

    void setState(TestServer.Account renter, long id, String state) {
        var r = Http.put(server.api() + "/instances/" + id + "/", renter.key(), "{\"state\": \"" + state + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }
}
