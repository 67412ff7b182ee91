package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.PromText;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /metrics} (docs/operations.md) read as numbers after the market moves: a rent, an agent's reports, a meter
 * tick on a clock the test moves, a malformed and an implausible report, a silent host. Each figure is compared
 * with what the API itself says (credits, charges). Runs on both backends.
 */
class MetricsHttpTest {
    static final Instant T0 = FakeClock.DEFAULT_START;

    final FakeClock clock = new FakeClock();
    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    void at(double seconds) {
        clock.set(T0.plusMillis(Math.round(seconds * 1000)));
    }

    PromText scrape() {
        return PromText.scrape(server.url() + "/metrics");
    }

    long microCredit(TestServer.Account a) {
        double dollars = Http.get(server.api() + "/users/current/", a.key())
                .json()
                .get("credit")
                .asDouble();
        return Math.round(dollars * 1e6);
    }

    static InstanceReport running(long id, Long rx, Long tx) {
        return new InstanceReport(id, ActualStatus.RUNNING, "running", 0, 1.5, 0.25, 1_700_000_000L, 0, rx, tx);
    }

    @Test
    void a_rent_a_report_and_a_tick_move_the_market_gauges_and_the_money_counters_by_exactly_what_happened()
            throws Exception {
        at(0);
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 2, "Oslo, NO", 51000));
        host.client()
                .listMachine(new ListMachineRequest(
                        registered.machineId(), 0.5, 0.15, 0.01, 0.01, null, 1, null, null, null));
        TestAgent agent = new TestAgent(server.url(), registered.machineToken());

        PromText before = scrape();
        assertThat(before.value("gpumarket_gpus", "model", "RTX 4090", "state", "listed"))
                .isEqualTo(2);
        assertThat(before.value("gpumarket_gpus", "model", "RTX 4090", "state", "idle"))
                .isEqualTo(2);
        assertThat(before.value("gpumarket_gpus", "model", "RTX 4090", "state", "rented"))
                .isZero();
        assertThat(before.sum("gpumarket_machines")).isEqualTo(1);
        assertThat(before.value("gpumarket_offers")).isPositive();

        long id = Rentals.rent(server, renter, registered.machineId(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        PromText rented = scrape();
        assertThat(rented.value("gpumarket_gpus", "model", "RTX 4090", "state", "rented"))
                .isEqualTo(1);
        assertThat(rented.value("gpumarket_gpus", "model", "RTX 4090", "state", "idle"))
                .isEqualTo(1);
        assertThat(rented.value("gpumarket_instances", "actual_status", "none"))
                .as("rented, not reported yet")
                .isEqualTo(1);

        agent.report(running(id, null, null));
        PromText reported = scrape();
        assertThat(reported.value("gpumarket_instances", "actual_status", "running"))
                .isEqualTo(1);
        assertThat(reported.find("gpumarket_instances", "actual_status", "none"))
                .as("a status nobody is in any more is gone, not 0 forever")
                .isNull();
        assertThat(reported.value("gpumarket_agent_syncs_total") - rented.value("gpumarket_agent_syncs_total"))
                .isEqualTo(1);
        assertThat(reported.value("gpumarket_agent_sync_work_seconds_count")
                        - rented.value("gpumarket_agent_sync_work_seconds_count"))
                .isEqualTo(1);

        long renterBefore = microCredit(renter);
        long hostBefore = microCredit(host);
        at(3600);
        server.tick();
        PromText ticked = scrape();
        long charged = renterBefore - microCredit(renter);
        long hostGot = microCredit(host) - hostBefore;
        assertThat(charged).as("an hour of one GPU and its disk").isPositive();
        assertThat(ticked.value("gpumarket_billing_charged_microdollars_total")
                        - reported.value("gpumarket_billing_charged_microdollars_total"))
                .isEqualTo(charged);
        assertThat(ticked.value("gpumarket_billing_host_earned_microdollars_total")
                        - ticked.value("gpumarket_billing_fees_microdollars_total"))
                .as("what the host's balance grew by")
                .isEqualTo(hostGot);
        assertThat(ticked.value("gpumarket_meter_tick_seconds_count", "outcome", "ok"))
                .isEqualTo(1);
        assertThat(ticked.value("gpumarket_meter_lag_seconds"))
                .as("the watermark is now")
                .isZero();
        assertThat(ticked.value("gpumarket_credit_outstanding_microdollars")
                        - reported.value("gpumarket_credit_outstanding_microdollars"))
                .as("the renter's loss less the host's gain: the platform's fee")
                .isEqualTo(hostGot - charged);
        assertThat(ticked.value("gpumarket_billing_contracts_set_aside")).isZero();
        assertThat(ticked.value("gpumarket_store_transaction_seconds_count", "outcome", "committed"))
                .isGreaterThan(reported.value("gpumarket_store_transaction_seconds_count", "outcome", "committed"));
    }

    @Test
    void malformed_and_implausible_reports_and_a_silent_host_are_counted() throws Exception {
        at(0);
        server = TestServer.start(clock);
        TestServer.Account host = server.newUser();
        TestServer.Account renter = server.newRenter(100);
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 2, "Oslo, NO", 51000));
        host.client()
                .listMachine(new ListMachineRequest(
                        registered.machineId(), 0.5, 0.15, 0.01, 0.01, null, 1, null, null, null));
        TestAgent agent = new TestAgent(server.url(), registered.machineToken());
        long id = Rentals.rent(server, renter, registered.machineId(), 1, "{\"image\": \"busybox\", \"disk\": 10}")
                .id();
        agent.report(running(id, null, null));
        PromText before = scrape();

        var refused = agent.syncRaw(
                Wire.mapper().writeValueAsString(new SyncRequest(0, 0, List.of(running(id, -5L, 0L)), List.of())));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        at(5);
        // a petabyte downloaded in five seconds: beyond the machine's link (TestMachines: 1 Gbit/s down)
        agent.report(running(id, 1_000_000_000_000_000L, 0L));
        PromText after = scrape();

        assertThat(after.value("gpumarket_agent_reports_rejected_total", "reason", "malformed")
                        - before.value("gpumarket_agent_reports_rejected_total", "reason", "malformed"))
                .isEqualTo(1);
        assertThat(after.value("gpumarket_agent_reports_implausible_total")
                        - before.value("gpumarket_agent_reports_implausible_total"))
                .isEqualTo(1);
        assertThat(after.value("gpumarket_agents_silent")).isZero();

        at(5 + 600);
        server.tick(); // flushes the contacts heard, as every tick does
        assertThat(scrape().value("gpumarket_agents_silent"))
                .as("not heard for ten minutes")
                .isEqualTo(1);
    }

    @Test
    void the_store_shows_its_write_queue_on_sqlite_and_its_pools_on_both() {
        server = TestServer.start(clock);
        PromText m = scrape();
        assertThat(m.has("hikaricp_connections_active")).isTrue();
        if (server.app().store().dialect().equals("sqlite")) {
            assertThat(m.find("gpumarket_store_writes_waiting")).isEqualTo(0.0);
        } else {
            assertThat(m.find("hikaricp_connections_max", "pool", "gpumarket-postgresql"))
                    .isPositive();
        }
    }
}
