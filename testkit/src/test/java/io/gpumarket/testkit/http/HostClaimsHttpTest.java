package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.core.billing.TrafficClaims;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Host reports are claims (docs/billing.md, "Traffic claims" and "Contracts set aside"): traffic beyond what the
 * machine's link carries is not billed and is reported against the machine; a contract that cannot be priced is set
 * aside while everyone else is still charged, across a restart; malformed counters and absurd hardware are 400s; an
 * agent's removal acknowledgements count only for its own machine. Runs on both backends.
 */
class HostClaimsHttpTest {
    static final Instant T0 = FakeClock.DEFAULT_START;
    /** TestMachines declare an 800 Mbit/s upload link. */
    static final double UP_MBPS = 800;

    final FakeClock clock = new FakeClock();
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    void at(double seconds) {
        clock.set(T0.plusMillis(Math.round(seconds * 1000)));
    }

    /** A registered machine listed at $0.50/GPU/h with the given traffic prices ($/GB). */
    TestServer.Hosted machine(TestServer.Account host, double upPerGb, double downPerGb) {
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 2, "Oslo, NO", 51000));
        host.client()
                .listMachine(new ListMachineRequest(
                        registered.machineId(), 0.5, 0.15, upPerGb, downPerGb, null, 1, null, null, null));
        return new TestServer.Hosted(registered.machineId(), registered.machineToken());
    }

    static InstanceReport running(long id, Long rx, Long tx) {
        return new InstanceReport(id, ActualStatus.RUNNING, "running", 0, 1.5, 0.25, 1_700_000_000L, 0, rx, tx);
    }

    static double credit(TestServer server, TestServer.Account a) {
        return Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("credit")
                .asDouble();
    }

    JsonNode anomalies() {
        var r = Http.get(server.api() + "/admin/anomalies/", server.adminKey());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    JsonNode hostsMachine(TestServer.Account host, long machineId) {
        var r = Http.get(server.api() + "/machines/", host.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode m : r.json().get("machines")) if (m.get("id").asLong() == machineId) return m;
        throw new AssertionError("machine " + machineId + " is not among the host's: " + r.body());
    }

    JsonNode charges(TestServer.Account renter) {
        var r = Http.get(
                server.api() + "/charges/?format=tree&select_filters="
                        + Http.encode("{\"day\": {\"gte\": " + T0.getEpochSecond() + ", \"lte\": "
                                + (T0.getEpochSecond() + 86_400) + "}}"),
                renter.key());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    @Test
    void
            a_terabyte_uploaded_in_a_minute_is_billed_only_as_far_as_the_link_carries_and_is_reported_against_the_machine() {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(host, 1.0, 1.0);
        TestAgent agent = server.agent(m);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(running(id, null, null));
        server.refreshReliability();
        double reliabilityBefore = hostsMachine(host, m.id()).get("reliability").asDouble();

        at(60);
        agent.report(running(id, 0L, 1_000_000_000_000L));
        server.tick();

        long plausible = TrafficClaims.carriable(UP_MBPS, 60_000);
        assertThat(plausible).as("800 Mbit/s for 60 s × 1.5 + 2 s").isEqualTo(9_200_000_000L);
        JsonNode items = charges(renter).get("results").get(0).get("items");
        assertThat(items.get(2).get("type").asText()).isEqualTo("bwu");
        assertThat(items.get(2).get("amount").asDouble())
                .as("$1/GB for the plausible bytes only")
                .isEqualTo(9.2);
        assertThat(100 - credit(server, renter))
                .as("what the renter paid in all: a minute of GPU and disk besides")
                .isBetween(9.2, 9.25);

        JsonNode reports = anomalies().get("host_reports");
        assertThat(reports).hasSize(1);
        JsonNode report = reports.get(0);
        assertThat(report.get("machine_id").asLong()).isEqualTo(m.id());
        assertThat(report.get("instance_id").asLong()).isEqualTo(id);
        assertThat(report.get("kind").asText()).isEqualTo("upload_beyond_link");
        assertThat(report.get("claimed_bytes").asLong()).isEqualTo(1_000_000_000_000L);
        assertThat(report.get("billed_bytes").asLong()).isEqualTo(plausible);
        assertThat(hostsMachine(host, m.id()).get("host_anomalies").asInt()).isEqualTo(1);
        assertThat(server.admin()
                        .raw("GET", "/api/v0/admin/anomalies/?limit=1", null)
                        .get("host_reports"))
                .as("as gpumarket admin anomalies asks")
                .hasSize(1);
        assertThat(Http.get(server.api() + "/admin/anomalies/?limit=0", server.adminKey())
                        .status())
                .isEqualTo(400);
        assertThat(Http.get(server.api() + "/admin/anomalies/", renter.key()).status())
                .as("operators only")
                .isEqualTo(403);

        server.refreshReliability();
        assertThat(hostsMachine(host, m.id()).get("reliability").asDouble())
                .as("counted like a failed start")
                .isLessThan(reliabilityBefore * 0.85);
    }

    @Test
    void counters_near_the_largest_long_neither_stop_the_meter_nor_cost_more_than_the_link_carries() {
        server = TestServer.start(clock);
        TestServer.Account renter = server.newRenter(100);
        TestServer.Account bystander = server.newRenter(100);
        TestServer.Hosted m = machine(server.newUser(), 1.0, 1.0);
        TestServer.Hosted other = machine(server.newUser(), 0.01, 0.01);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        long theirs = Rentals.rent(server, bystander, other.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        server.agent(other).report(running(theirs, null, null));
        at(5);
        server.agent(m).report(running(id, 9_000_000_000_000_000_000L, 9_000_000_000_000_000_000L));
        server.agent(other).sync();
        var tick = server.tick();

        assertThat(tick.to()).isEqualTo(clock.instant());
        assertThat(credit(server, bystander)).isLessThan(100);
        JsonNode items = charges(renter).get("results").get(0).get("items");
        // 800 Mbit/s up and 1000 Mbit/s down for 5 s × 1.5 + 2 s, at $1/GB
        assertThat(items.get(2).get("amount").asDouble()).isEqualTo(TrafficClaims.carriable(800, 5_000) / 1e9);
        assertThat(items.get(3).get("amount").asDouble()).isEqualTo(TrafficClaims.carriable(1000, 5_000) / 1e9);
        assertThat(anomalies().get("host_reports"))
                .extracting(r -> r.get("kind").asText())
                .containsExactlyInAnyOrder("upload_beyond_link", "download_beyond_link");
        assertThat(anomalies().get("set_aside")).isEmpty();
    }

    @Test
    void counters_that_grow_within_the_link_are_billed_whole_and_reported_nowhere() {
        server = TestServer.start(clock);
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(server.newUser(), 1.0, 1.0);
        TestAgent agent = server.agent(m);
        at(0);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        at(60);
        agent.report(running(id, 3_000_000_000L, 5_000_000_000L));
        server.tick();

        JsonNode items = charges(renter).get("results").get(0).get("items");
        assertThat(items.get(2).get("amount").asDouble()).isEqualTo(5.0);
        assertThat(items.get(3).get("amount").asDouble()).isEqualTo(3.0);
        assertThat(anomalies().get("host_reports")).isEmpty();
    }

    @Test
    void the_meter_keeps_charging_a_bystander_while_one_contract_cannot_be_priced_and_after_a_restart()
            throws Exception {
        server = TestServer.start(clock, AgentTimings.defaults(), BillingConfig.manual());
        TestServer.Account victim = server.newRenter(100);
        TestServer.Account bystander = server.newRenter(100);
        // A terabit link at the highest upload price a listing takes ($1000/GB): 1.5 PB in three hours is within what
        // the link carries, and costs $1.5 billion, more than one contract may cost (Charges.MAX_CONTRACT_TOTAL).
        TestServer.Account host = server.newUser();
        var terabit = Wire.mapper().readValue(registration("inet_up", "1000000"), MachineRegistration.class);
        var registered = host.client().registerMachine(terabit);
        host.client()
                .listMachine(new ListMachineRequest(
                        registered.machineId(), 0.5, 0.15, 1000.0, 0.01, null, 1, null, null, null));
        TestServer.Hosted broken = new TestServer.Hosted(registered.machineId(), registered.machineToken());
        TestServer.Hosted fine = machine(server.newUser(), 0.01, 0.01);
        at(0);
        long bad = Rentals.rent(server, victim, broken.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        long good = Rentals.rent(server, bystander, fine.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        server.agent(broken).report(running(bad, null, null));
        server.agent(fine).report(running(good, null, null));

        at(3 * 3600);
        server.agent(broken).report(running(bad, 0L, 1_500_000_000_000_000L));
        server.agent(fine).sync();
        var first = server.tick();
        assertThat(first.to()).as("the watermark moves").isEqualTo(clock.instant());
        double afterFirst = credit(server, bystander);
        assertThat(afterFirst).as("the bystander is charged").isLessThan(100);
        assertThat(credit(server, victim))
                .as("the contract set aside is charged no further")
                .isEqualTo(100);
        JsonNode aside = anomalies().get("set_aside");
        assertThat(aside).hasSize(1);
        assertThat(aside.get(0).get("instance_id").asLong()).isEqualTo(bad);
        assertThat(aside.get(0).get("reason").asText()).isNotBlank();

        assertThat(anomalies().get("host_reports"))
                .as("within the link: not an implausible report")
                .isEmpty();

        at(3 * 3600 + 20);
        server.agent(broken).report(running(bad, 0L, 1_500_000_000_000_001L));
        server.agent(fine).sync();
        server.tick();
        double afterSecond = credit(server, bystander);
        assertThat(afterSecond).isLessThan(afterFirst);

        server.restart();
        at(3 * 3600 + 40);
        server.agent(broken).sync();
        server.agent(fine).sync();
        var afterRestart = server.tick();
        assertThat(afterRestart.to()).isEqualTo(clock.instant());
        assertThat(credit(server, bystander))
                .as("still charged after a restart")
                .isLessThan(afterSecond);
        assertThat(credit(server, victim)).isEqualTo(100);
        assertThat(anomalies().get("set_aside")).hasSize(1);
        assertThat(charges(victim).get("success").asBoolean())
                .as("its charges page still answers")
                .isTrue();
    }

    @Test
    void a_negative_counter_beside_a_positive_one_is_a_400_and_nothing_of_the_sync_is_applied() throws Exception {
        server = TestServer.start(clock);
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted m = machine(server.newUser(), 1.0, 1.0);
        TestAgent agent = server.agent(m);
        long id = Rentals.rent(server, renter, m.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();

        var r = agent.syncRaw(Wire.mapper()
                .writeValueAsString(new SyncRequest(0, 0, List.of(running(id, -5L, 1_000_000L)), List.of())));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
        assertThat(r.json().get("msg").asText()).contains("rx_bytes");
        assertThat(Rentals.show(server, renter.key(), id).get("actual_status").asText())
                .as("not applied")
                .isNotEqualTo("running");
    }

    /** The registration as JSON with one field's value replaced by {@code raw} (written as is: 1e999 stays 1e999). */
    static String registration(String field, String raw) throws Exception {
        MachineRegistration reg = TestMachines.machine("RTX 4090", 2, "Oslo, NO", 51000);
        String json = Wire.mapper().writeValueAsString(reg);
        String replaced = json.replaceFirst("\"" + field + "\":[^,}]*", "\"" + field + "\":" + raw);
        assertThat(replaced).as("field " + field + " is in " + json).isNotEqualTo(json);
        return replaced;
    }

    @Test
    void absurd_hardware_is_refused_with_a_400_at_registration_and_from_the_agent() throws Exception {
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        String[][] absurd = {
            {"disk_space", "1e999"},
            {"disk_space", "-5"},
            {"disk_space", "2e6"},
            {"num_gpus", "65"},
            {"inet_up", "2e6"},
            {"inet_down", "-1"},
            {"cpu_ram", "9000000000000"},
            {"gpu_ram", "2000000000"}
        };
        for (String[] a : absurd) {
            var r = Http.post(server.api() + "/host/machines/", host.key(), registration(a[0], a[1]));
            assertThat(r.status()).as(a[0] + "=" + a[1] + ": " + r.body()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
            assertThat(r.json().get("msg").asText()).contains(a[0]);
        }
        TestServer.Hosted m = machine(host, 0.01, 0.01);
        var update = Http.put(server.api() + "/agent/machine/", m.token(), registration("disk_space", "1e999"));
        assertThat(update.status()).as(update.body()).isEqualTo(400);
        assertThat(update.json().get("msg").asText()).contains("disk_space");
        assertThat(hostsMachine(host, m.id()).get("disk_space").asDouble())
                .as("unchanged")
                .isEqualTo(400.0);
    }

    @Test
    void an_agent_acknowledging_the_removal_of_another_machines_instance_does_not_end_its_destroy() {
        Duration destroyWait = Duration.ofSeconds(2);
        server = TestServer.start(
                Clock.systemUTC(), new AgentTimings(Duration.ofSeconds(10), 3, Duration.ofMinutes(2), destroyWait));
        TestServer.Account renter = server.newRenter(100);
        TestServer.Hosted mine = machine(server.newUser(), 0.01, 0.01);
        TestServer.Hosted other = machine(server.newUser(), 0.01, 0.01);
        TestAgent agent = server.agent(mine);
        TestAgent stranger = server.agent(other);
        stranger.sync();
        long id = Rentals.rent(server, renter, mine.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(running(id, null, null));

        long started = System.nanoTime();
        CompletableFuture<Http.Response> destroy = CompletableFuture.supplyAsync(
                () -> Http.delete(server.api() + "/instances/" + id + "/", renter.key(), "{}"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> agent.sync().instances().isEmpty());
        stranger.removed(id);
        assertThat(destroy.join().status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .as("DELETE waited for the instance's own agent")
                .isGreaterThanOrEqualTo(destroyWait);

        // and its own agent's acknowledgement still ends the wait at once
        long second = Rentals.rent(server, renter, mine.id(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(running(second, null, null));
        CompletableFuture<Http.Response> again = CompletableFuture.supplyAsync(
                () -> Http.delete(server.api() + "/instances/" + second + "/", renter.key(), "{}"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> agent.sync().instances().isEmpty());
        long acked = System.nanoTime();
        agent.removed(second);
        assertThat(again.join().status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - acked)).isLessThan(destroyWait);
    }
}
