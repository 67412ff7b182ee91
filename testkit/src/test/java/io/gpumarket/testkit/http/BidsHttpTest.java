package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Interruptible (bid) instances over HTTP, with an agent speaking the protocol: who the server tells to run, what
 * renters see, and the refusals (docs/bids.md). The end-to-end run with a real agent and billing is
 * {@code e2e.BidsEndToEndTest}.
 */
class BidsHttpTest {
    final FakeClock clock = new FakeClock();
    TestServer server;
    TestServer.Account host;
    TestServer.Account renter;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    /** Heartbeats slow enough that moving the clock by minutes between syncs is no silence. */
    static final AgentTimings SLOW_BEATS =
            new AgentTimings(Duration.ofMinutes(10), 3, Duration.ofHours(1), Duration.ZERO);

    void start(Duration notice) {
        server = TestServer.start(clock, SLOW_BEATS, BillingConfig.manual(), notice);
        host = server.newUser();
        renter = server.newRenter(100);
    }

    /** A listed machine of {@code gpus} GPUs at $0.40/GPU/h on demand, with a minimum bid of $0.10/GPU/h. */
    TestServer.Hosted machine(int gpus) {
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", gpus, "Oslo, NO", 52000));
        var listed = Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + registered.machineId() + ", \"price_gpu\": 0.4, \"price_min_bid\": 0.1}");
        assertThat(listed.status()).as(listed.body()).isEqualTo(200);
        return new TestServer.Hosted(registered.machineId(), registered.machineToken());
    }

    Http.Response bid(TestServer.Hosted m, int gpus, double price) {
        return Rentals.rent(
                server,
                renter.key(),
                Rentals.offer(server, renter.key(), m.id(), gpus),
                "{\"image\": \"busybox\", \"price\": " + price + "}");
    }

    long bidOk(TestServer.Hosted m, int gpus, double price) {
        var r = bid(m, gpus, price);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("new_contract").asLong();
    }

    long onDemand(TestServer.Hosted m, int gpus) {
        return Rentals.rent(server, renter, m.id(), gpus, "{\"image\": \"busybox\"}")
                .id();
    }

    JsonNode show(long id) {
        return Rentals.show(server, renter.key(), id);
    }

    /** What the machine's agent is told to do with the instance: running or stopped. */
    static String told(TestAgent agent, long id) {
        return TestAgent.find(agent.sync(), id).intendedStatus();
    }

    @Test
    void a_bid_is_created_as_an_interruptible_instance_and_both_kinds_say_which_they_are() {
        start(Duration.ZERO);
        var m = machine(2);
        var created = bid(m, 2, 0.9);
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().get("is_bid").asBoolean()).isTrue();
        assertThat(created.json().get("bid_price").asDouble()).isEqualTo(0.9);
        JsonNode i = show(created.json().get("new_contract").asLong());
        assertThat(i.get("is_bid").asBoolean()).isTrue();
        assertThat(i.get("dph_base").asDouble()).as("charged at its bid").isEqualTo(0.9);
        assertThat(i.get("min_bid").asDouble()).isEqualTo(0.2);
        assertThat(i.get("bid_state").asText()).isEqualTo("holding");

        var other = machine(1);
        var od = Rentals.rent(
                server, renter.key(), Rentals.offer(server, renter.key(), other.id(), 1), "{\"image\": \"busybox\"}");
        assertThat(od.json().get("is_bid").asBoolean()).isFalse();
        assertThat(od.json().get("bid_price").isNull()).isTrue();
        assertThat(show(od.json().get("new_contract").asLong()).get("is_bid").asBoolean())
                .isFalse();
    }

    @Test
    void a_bid_below_the_minimum_or_outside_the_caps_is_refused_and_nothing_is_stored() {
        start(Duration.ZERO);
        var m = machine(2);
        for (double price : new double[] {0.15, 0.0001, 200}) {
            var r = bid(m, 2, price);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_price");
        }
        assertThat(bid(m, 2, 0.15).json().get("msg").asText())
                .contains("below the machine's minimum bid of $0.1 per GPU");
        assertThat(Http.get(server.api() + "/instances/", renter.key())
                        .json()
                        .get("instances_found")
                        .asInt())
                .isZero();
        assertThat(Rentals.freeGpus(server, m.id())).isEqualTo(2);
    }

    @Test
    void a_higher_bid_preempts_a_lower_one_which_resumes_by_itself_when_the_higher_ends() {
        start(Duration.ZERO);
        var m = machine(1);
        TestAgent agent = server.agent(m);
        long low = bidOk(m, 1, 0.2);
        assertThat(told(agent, low)).isEqualTo("running");
        agent.report(low, "running");

        long high = bidOk(m, 1, 0.5);
        assertThat(told(agent, low)).isEqualTo("stopped");
        assertThat(told(agent, high)).isEqualTo("running");
        agent.report(low, "stopped");
        JsonNode preempted = show(low);
        assertThat(preempted.get("actual_status").asText()).isEqualTo("stopped");
        assertThat(preempted.get("intended_status").asText())
                .as("its owner still wants it running")
                .isEqualTo("running");
        assertThat(preempted.get("status_msg").asText()).startsWith("preempted: outbid");
        assertThat(preempted.get("preempted_reason").asText()).isEqualTo("outbid");

        assertThat(Http.delete(server.api() + "/instances/" + high + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        assertThat(told(agent, low)).isEqualTo("running");
        JsonNode resumed = show(low);
        assertThat(resumed.get("bid_state").asText()).isEqualTo("holding");
        assertThat(resumed.get("preempted_reason").asText())
                .as("the contract keeps its record")
                .isEqualTo("outbid");
    }

    @Test
    void on_demand_displaces_bids_and_keeps_its_gpus_while_stopped() {
        start(Duration.ZERO);
        var m = machine(1);
        TestAgent agent = server.agent(m);
        long bid = bidOk(m, 1, 5.0);
        long od = onDemand(m, 1);
        assertThat(told(agent, bid)).isEqualTo("stopped");
        assertThat(told(agent, od)).isEqualTo("running");
        assertThat(show(bid).get("status_msg").asText()).startsWith("preempted: displaced by on-demand");

        assertThat(Http.put(server.api() + "/instances/" + od + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        assertThat(told(agent, bid))
                .as("a stopped on-demand instance keeps its GPUs")
                .isEqualTo("stopped");
        assertThat(Http.put(server.api() + "/instances/" + od + "/", renter.key(), "{\"state\": \"running\"}")
                        .status())
                .isEqualTo(200);
        assertThat(told(agent, od)).as("and starts again without waiting").isEqualTo("running");

        assertThat(Http.delete(server.api() + "/instances/" + od + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        assertThat(told(agent, bid)).isEqualTo("running");
    }

    @Test
    void starting_a_stopped_bid_whose_gpus_went_to_a_higher_bid_waits_in_scheduling_and_says_so() {
        start(Duration.ZERO);
        var m = machine(1);
        TestAgent agent = server.agent(m);
        long low = bidOk(m, 1, 0.2);
        assertThat(Http.put(server.api() + "/instances/" + low + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        agent.report(low, "stopped");
        long high = bidOk(m, 1, 0.5);
        assertThat(told(agent, high)).isEqualTo("running");

        assertThat(Http.put(server.api() + "/instances/" + low + "/", renter.key(), "{\"state\": \"running\"}")
                        .status())
                .isEqualTo(200);
        assertThat(told(agent, low)).isEqualTo("stopped");
        JsonNode waiting = show(low);
        assertThat(waiting.get("actual_status").asText()).isEqualTo("scheduling");
        assertThat(waiting.get("status_msg").asText()).startsWith("scheduling: waiting for GPUs (outbid)");
        assertThat(waiting.get("preempted_reason").isNull())
                .as("it was never preempted")
                .isTrue();
    }

    @Test
    void a_new_bid_that_cannot_win_waits_unless_it_asked_to_be_refused() {
        start(Duration.ZERO);
        var m = machine(1);
        long high = bidOk(m, 1, 0.5);
        var waiting = bid(m, 1, 0.3);
        assertThat(waiting.status()).isEqualTo(200);
        assertThat(waiting.json().get("msg").asText()).startsWith("scheduling: waiting for GPUs (outbid)");
        assertThat(show(waiting.json().get("new_contract").asLong())
                        .get("actual_status")
                        .asText())
                .isEqualTo("scheduling");

        var refused = Rentals.rent(
                server,
                renter.key(),
                Rentals.offer(server, renter.key(), m.id(), 1),
                "{\"image\": \"busybox\", \"price\": 0.3, \"cancel_unavail\": true}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(410);
        assertThat(refused.json().get("error").asText()).isEqualTo("no_such_ask");
        assertThat(Http.get(server.api() + "/instances/", renter.key())
                        .json()
                        .get("instances_found")
                        .asInt())
                .isEqualTo(2);
        assertThat(show(high).get("bid_state").asText()).isEqualTo("holding");
    }

    @Test
    void changing_a_bid_re_arbitrates_at_once() {
        start(Duration.ZERO);
        var m = machine(1);
        TestAgent agent = server.agent(m);
        long a = bidOk(m, 1, 0.2);
        long b = bidOk(m, 1, 0.3);
        assertThat(told(agent, a)).isEqualTo("stopped");

        var raised = Http.put(
                server.api() + "/instances/bid_price/" + a + "/",
                renter.key(),
                "{\"client_id\": \"me\", \"price\": 0.6}");
        assertThat(raised.status()).as(raised.body()).isEqualTo(200);
        assertThat(told(agent, a)).isEqualTo("running");
        assertThat(told(agent, b)).isEqualTo("stopped");
        assertThat(show(a).get("dph_base").asDouble()).isEqualTo(0.6);

        var winning = Http.put(
                server.api() + "/instances/bid_price/" + b + "/",
                renter.key(),
                "{\"client_id\": \"me\", \"price\": null}");
        assertThat(winning.status()).as(winning.body()).isEqualTo(200);
        assertThat(winning.json().get("bid_price_per_gpu").asDouble())
                .as("a micro-dollar above the other bid")
                .isEqualTo(0.600001);
        assertThat(told(agent, b)).isEqualTo("running");
        assertThat(told(agent, a)).isEqualTo("stopped");
    }

    @Test
    void a_bad_bid_change_is_refused_with_vasts_words_and_changes_nothing() {
        start(Duration.ZERO);
        var m = machine(2);
        long a = bidOk(m, 1, 0.2);
        long od = onDemand(m, 1);
        Map<String, String> refusals = Map.of(
                "{\"price\": 0}", "Please set a bid price >= 0.001.",
                "{\"price\": \"x\"}", "Please set a bid price >= 0.001.",
                "{\"price\": 33}", "Please set a bid price <= 32.0",
                "{\"price\": 0.05}", "below the machine's minimum bid");
        refusals.forEach((body, msg) -> {
            var r = Http.put(server.api() + "/instances/bid_price/" + a + "/", renter.key(), body);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
            assertThat(r.json().get("msg").asText())
                    .startsWith(msg.startsWith("below") ? "a bid of" : msg)
                    .contains(msg);
        });
        assertThat(show(a).get("dph_base").asDouble()).isEqualTo(0.2);
        var onDemand = Http.put(server.api() + "/instances/bid_price/" + od + "/", renter.key(), "{\"price\": 1}");
        assertThat(onDemand.status()).isEqualTo(400);
        assertThat(onDemand.json().get("msg").asText()).contains("is on-demand");
        var missing = Http.put(server.api() + "/instances/bid_price/999999/", renter.key(), "{\"price\": 1}");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("no_such_instance");
        assertThat(missing.json().get("msg").asText()).isEqualTo("Instance with that ID does not exist.");
    }

    @Test
    void a_bid_search_prices_offers_at_the_current_minimum_bid() {
        start(Duration.ZERO);
        var m = machine(1);
        String q = "{\"machine_id\": {\"eq\": " + m.id() + "}, \"type\": \"bid\"}";
        JsonNode offer = Http.post(server.api() + "/bundles/", renter.key(), q)
                .json()
                .get("offers")
                .get(0);
        assertThat(offer.get("is_bid").asBoolean()).isTrue();
        assertThat(offer.get("min_bid").asDouble()).isEqualTo(0.1);
        assertThat(offer.get("dph_base").asDouble()).isEqualTo(0.1);

        bidOk(m, 1, 0.5);
        offer = Http.post(server.api() + "/bundles/", renter.key(), q)
                .json()
                .get("offers")
                .get(0);
        assertThat(offer.get("min_bid").asDouble())
                .as("what outbids the running bid")
                .isEqualTo(0.500001);
        assertThat(offer.get("dph_base").asDouble()).isEqualTo(0.500001);
        JsonNode onDemand = Http.post(
                        server.api() + "/bundles/", renter.key(), "{\"machine_id\": {\"eq\": " + m.id() + "}}")
                .json()
                .get("offers")
                .get(0);
        assertThat(onDemand.get("dph_base").asDouble())
                .as("on-demand may still take GPUs held by bids")
                .isEqualTo(0.4);
    }

    @Test
    void a_notice_window_keeps_the_loser_running_and_told_until_it_ends() {
        start(Duration.ofSeconds(60));
        var m = machine(1);
        TestAgent agent = server.agent(m);
        long low = bidOk(m, 1, 0.2);
        agent.report(low, "running");
        long high = bidOk(m, 1, 0.5);

        DesiredInstance lowTold = TestAgent.find(agent.sync(), low);
        assertThat(lowTold.intendedStatus()).isEqualTo("running");
        assertThat(lowTold.preemptNotice()).startsWith("outbid; stopping at ");
        assertThat(told(agent, high))
                .as("the winner waits for the GPUs to be given up")
                .isEqualTo("stopped");
        assertThat(show(low).get("status_msg").asText()).startsWith("preemption notice: outbid");
        assertThat(show(high).get("actual_status").asText()).isEqualTo("scheduling");

        clock.advance(Duration.ofSeconds(59));
        server.app().bids().expireNotices();
        assertThat(told(agent, low)).isEqualTo("running");
        clock.advance(Duration.ofSeconds(1));
        server.app().bids().expireNotices();
        assertThat(told(agent, low)).isEqualTo("stopped");
        assertThat(told(agent, high)).isEqualTo("running");
        assertThat(show(low).get("preempted_reason").asText()).isEqualTo("outbid");
    }

    @Test
    void a_changed_bid_is_charged_from_the_change_on_through_any_number_of_meter_ticks() {
        start(Duration.ZERO);
        var m = machine(1);
        TestAgent agent = server.agent(m);
        java.time.Instant t0 = clock.instant();
        long id = bidOk(m, 1, 0.2);
        agent.report(id, "running");
        for (int minute = 10; minute <= 60; minute += 5) {
            clock.set(t0.plusSeconds(minute * 60L));
            if (minute == 30) {
                var changed =
                        Http.put(server.api() + "/instances/bid_price/" + id + "/", renter.key(), "{\"price\": 0.6}");
                assertThat(changed.status()).as(changed.body()).isEqualTo(200);
            }
            agent.sync();
            if (minute % 15 == 0) server.tick();
        }
        assertThat(Http.delete(server.api() + "/instances/" + id + "/", renter.key(), "{}")
                        .status())
                .isEqualTo(200);
        clock.set(t0.plusSeconds(70 * 60L));
        server.tick();

        JsonNode charges = Http.get(
                        server.api() + "/charges/?format=tree&select_filters="
                                + Http.encode("{\"day\": {\"gte\": " + t0.getEpochSecond() + ", \"lte\": "
                                        + (t0.getEpochSecond() + 86_400) + "}}"),
                        renter.key())
                .json();
        JsonNode gpu = charges.get("results").get(0).get("items").get(0);
        assertThat(gpu.get("type").asText()).isEqualTo("gpu");
        // 30 minutes at $0.20, then 30 at $0.60
        assertThat(gpu.get("amount").asDouble()).isEqualTo(0.4);
        assertThat(gpu.get("description").asText()).isEqualTo("1.000 hours at $0.400/hour on average (bid changed)");
    }

    @Test
    void an_on_demand_rent_waits_in_scheduling_while_the_bids_it_displaces_run_out_their_notice() {
        start(Duration.ofSeconds(60));
        var m = machine(1);
        TestAgent agent = server.agent(m);
        long bid = bidOk(m, 1, 0.2);
        agent.report(bid, "running");
        var rented = Rentals.rent(
                server, renter.key(), Rentals.offer(server, renter.key(), m.id(), 1), "{\"image\": \"busybox\"}");
        long od = rented.json().get("new_contract").asLong();
        assertThat(rented.json().get("msg").asText())
                .startsWith("scheduling: waiting for GPUs (waiting for a preempted bid's notice");
        assertThat(told(agent, bid)).isEqualTo("running");
        assertThat(told(agent, od)).isEqualTo("stopped");
        assertThat(show(od).get("actual_status").asText()).isEqualTo("scheduling");

        clock.advance(Duration.ofSeconds(60));
        server.app().bids().expireNotices();
        assertThat(told(agent, bid)).isEqualTo("stopped");
        assertThat(told(agent, od)).isEqualTo("running");
        assertThat(show(bid).get("status_msg").asText()).startsWith("preempted: displaced by on-demand");
    }
}
