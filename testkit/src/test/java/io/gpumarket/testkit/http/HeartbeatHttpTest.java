package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * actual_status follows the machine's heartbeat (defaults: a beat every 10 s, unknown after 3 missed, offline
 * after 2 min), on a clock the test moves.
 */
class HeartbeatHttpTest {
    static final FakeClock CLOCK = new FakeClock();

    @RegisterExtension
    static final TestServer server = TestServer.builder().clock(CLOCK).perClass();

    static TestServer.Account host;
    static TestServer.Account renter;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
    }

    static String status(long id) {
        return Rentals.show(server, renter.key(), id).get("actual_status").asText(null);
    }

    @Test
    void a_silent_agent_makes_its_instances_unknown_then_offline_until_it_syncs_again() {
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 46000), 0.4, Map.of("verification", "verified"));
        TestAgent agent = server.agent(m);
        long id = Rentals.rentOne(server, renter, m.id()).id();
        agent.report(id, "running");
        assertThat(status(id)).isEqualTo("running");

        CLOCK.advance(Duration.ofSeconds(30));
        assertThat(status(id)).as("three beats missed, not more").isEqualTo("running");
        assertThat(Rentals.show(server, renter.key(), id).get("ports").has("22/tcp"))
                .isTrue();

        CLOCK.advance(Duration.ofSeconds(1));
        assertThat(status(id)).isEqualTo("unknown");
        assertThat(Rentals.show(server, renter.key(), id).get("ports").size())
                .as("no ports while not known to run")
                .isZero();

        CLOCK.advance(Duration.ofSeconds(89));
        assertThat(status(id)).isEqualTo("offline");

        agent.sync();
        assertThat(status(id)).as("the agent's own word again once it syncs").isEqualTo("running");
    }

    @Test
    void an_instance_on_a_machine_whose_agent_never_synced_goes_unknown_counted_from_its_creation() {
        TestServer.Hosted m = server.hostMachine(
                host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 46100), 0.4, Map.of("verification", "verified"));
        long id = Rentals.rentOne(server, renter, m.id()).id();
        assertThat(status(id)).as("being provisioned").isNull();

        CLOCK.advance(Duration.ofSeconds(31));
        assertThat(status(id)).isEqualTo("unknown");
        CLOCK.advance(Duration.ofMinutes(2));
        assertThat(status(id)).isEqualTo("offline");
    }
}
