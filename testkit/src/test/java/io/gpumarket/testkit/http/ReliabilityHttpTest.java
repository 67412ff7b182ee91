package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.core.machine.HeartbeatHistory;
import io.gpumarket.core.machine.Reliability;
import io.gpumarket.core.machine.ReliabilityPolicy;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.server.UpkeepConfig;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Reliability from heartbeats and starts, through the real server and store on a fake clock: the values shown
 * on machines, offers and instances are the formula's ({@link Reliability}) applied to the history the test
 * itself made (when the agent synced, when it fell silent, which starts failed).
 */
class ReliabilityHttpTest {
    /** Hour-scale constants so that minutes of history move the value visibly. */
    static final ReliabilityPolicy POLICY =
            new ReliabilityPolicy(Duration.ofHours(1), Duration.ofHours(1), Duration.ofMinutes(10), 0.9, 4);

    static final AtomicInteger PORTS = new AtomicInteger(47000);
    static final FakeClock CLOCK = new FakeClock();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
            .clock(CLOCK)
            .upkeep(UpkeepConfig.manual().withReliability(POLICY))
            .perClass();

    static Duration silentAfter;
    static TestServer.Account host;
    static TestServer.Account renter;

    @BeforeAll
    static void start() {
        silentAfter = AgentTimings.defaults().liveness().unknownAfter();
        host = server.newUser();
        renter = server.newRenter();
    }

    static TestServer.Hosted newMachine() {
        return server.hostMachine(
                host, TestMachines.machine("RTX 3090", 2, "Lima, PE", PORTS.getAndAdd(100)), 0.2, Map.of());
    }

    static double shown(long machineId) {
        JsonNode m = Http.get(server.api() + "/machines/" + machineId + "/", host.key())
                .json()
                .get(0);
        assertThat(m.get("reliability").asDouble())
                .isEqualTo(m.get("reliability2").asDouble());
        return m.get("reliability2").asDouble();
    }

    /** The agent syncs every 20 s (within its 10 s heartbeat's 30 s allowance) for {@code d}; the last sync's time. */
    static Instant heardFor(TestAgent agent, Duration d) {
        Instant end = CLOCK.instant().plus(d);
        agent.sync();
        while (CLOCK.instant().isBefore(end)) {
            CLOCK.advance(Duration.ofSeconds(20));
            agent.sync();
        }
        return CLOCK.instant();
    }

    static double formula(HeartbeatHistory h, List<HeartbeatHistory.Start> starts) {
        return Reliability.of(POLICY, h, starts, silentAfter, CLOCK.instant());
    }

    @Test
    void a_machine_never_heard_from_shows_the_starting_value_on_itself_and_its_offers() {
        long id = newMachine().id();
        server.refreshReliability();
        assertThat(shown(id)).isEqualTo(0.9);
        assertThat(Rentals.offers(server, renter.key(), id)).allSatisfy(o -> {
            assertThat(o.get("reliability").asDouble()).isEqualTo(0.9);
            assertThat(o.get("reliability2").asDouble()).isEqualTo(0.9);
        });
    }

    @Test
    void a_host_heard_from_earns_reliability_and_loses_it_by_the_formula_while_silent() {
        TestServer.Hosted machine = newMachine();
        TestAgent agent = server.agent(machine);
        Instant first = CLOCK.instant();
        Instant last = heardFor(agent, Duration.ofMinutes(30));
        server.refreshReliability();
        double steady = shown(machine.id());
        assertThat(steady)
                .isEqualTo(formula(new HeartbeatHistory(first, last, List.of()), List.of()))
                .isGreaterThan(0.9);
        var rented = Rentals.rentOne(server, renter, machine.id());
        assertThat(Rentals.show(server, renter.key(), rented.id())
                        .get("reliability2")
                        .asDouble())
                .isEqualTo(steady);

        CLOCK.advance(Duration.ofMinutes(10));
        server.refreshReliability();
        double silent = shown(machine.id());
        assertThat(silent)
                .isEqualTo(formula(new HeartbeatHistory(first, last, List.of()), List.of()))
                .isLessThan(steady);
        assertThat(Rentals.offers(server, renter.key(), machine.id()))
                .allSatisfy(o -> assertThat(o.get("reliability2").asDouble()).isEqualTo(silent));
        assertThat(Rentals.show(server, renter.key(), rented.id())
                        .get("reliability2")
                        .asDouble())
                .isEqualTo(silent);
        var above = Http.post(
                server.api() + "/bundles/",
                renter.key(),
                "{\"machine_id\": {\"eq\": " + machine.id() + "}, \"reliability\": {\"gte\": " + steady + "}}");
        assertThat(above.json().get("offers")).isEmpty();

        // Back again: the silence is now stored history, from the last contact plus the threshold to the return.
        agent.sync();
        Instant back = CLOCK.instant();
        CLOCK.advance(Duration.ofSeconds(20));
        agent.sync();
        server.refreshReliability();
        var outage = new HeartbeatHistory.Outage(last.plus(silentAfter), back);
        assertThat(shown(machine.id()))
                .isEqualTo(formula(new HeartbeatHistory(first, CLOCK.instant(), List.of(outage)), List.of()));
    }

    @Test
    void a_start_that_fails_on_the_machine_lowers_its_reliability_and_one_that_works_does_not() {
        TestServer.Hosted machine = newMachine();
        TestAgent agent = server.agent(machine);
        Instant first = CLOCK.instant();
        heardFor(agent, Duration.ofMinutes(5));
        var failing = Rentals.rentOne(server, renter, machine.id());
        agent.sync();
        agent.report(failing.id(), "loading");
        agent.report(failing.id(), "exited");
        Instant failedAt = CLOCK.instant();
        CLOCK.advance(Duration.ofSeconds(20));
        var working = Rentals.rentOne(server, renter, machine.id());
        agent.sync();
        agent.report(working.id(), "loading");
        agent.report(working.id(), "running");
        Instant ranAt = CLOCK.instant();
        server.refreshReliability();

        var history = new HeartbeatHistory(first, CLOCK.instant(), List.of());
        double expected = formula(
                history, List.of(new HeartbeatHistory.Start(failedAt, false), new HeartbeatHistory.Start(ranAt, true)));
        assertThat(shown(machine.id())).isEqualTo(expected).isLessThan(formula(history, List.of()));
    }

    @Test
    void an_instance_whose_own_process_exits_at_start_is_not_held_against_the_host_but_a_launcher_failure_is() {
        TestServer.Hosted machine = newMachine();
        TestAgent agent = server.agent(machine);
        Instant first = CLOCK.instant();
        heardFor(agent, Duration.ofMinutes(5));
        var own = Rentals.rentOne(server, renter, machine.id());
        agent.sync();
        agent.report(new InstanceReport(
                own.id(), ActualStatus.EXITED, "exited with code 3", 0, 0, 0, 0, agent.revision(), null, null, false));
        server.refreshReliability();
        var history = new HeartbeatHistory(first, CLOCK.instant(), List.of());
        assertThat(shown(machine.id())).isEqualTo(formula(history, List.of()));

        CLOCK.advance(Duration.ofSeconds(20));
        var broken = Rentals.rentOne(server, renter, machine.id());
        agent.sync();
        agent.report(new InstanceReport(
                broken.id(),
                ActualStatus.EXITED,
                "the sandbox failed to start",
                0,
                0,
                0,
                0,
                agent.revision(),
                null,
                null,
                true));
        server.refreshReliability();
        history = new HeartbeatHistory(first, CLOCK.instant(), List.of());
        assertThat(shown(machine.id()))
                .isEqualTo(formula(history, List.of(new HeartbeatHistory.Start(CLOCK.instant(), false))));
    }
}
