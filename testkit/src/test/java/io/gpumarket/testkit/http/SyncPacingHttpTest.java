package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.server.AgentTimings;
import io.gpumarket.testkit.FakeClock;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hold a server announces to idle agents follows its fleet (SyncPacing): here a budget of 2 idle syncs a second,
 * so 20 present agents are asked to wait 10 s, 40 the longest 15 s (half the 30 s unknown threshold), and once all
 * but one fall silent the hold is back to 6 s. The fleet is counted at each heartbeat flush (a metering tick runs one
 * first).
 */
class SyncPacingHttpTest {
    static final FakeClock CLOCK = new FakeClock();

    @RegisterExtension
    static final TestServer server = TestServer.builder()
            .clock(CLOCK)
            .agentTimings(new AgentTimings(Duration.ofSeconds(10), 3, Duration.ofMinutes(2), Duration.ZERO, 2))
            .perClass();

    @Test
    void the_announced_hold_grows_with_the_fleet_up_to_half_the_unknown_threshold_and_shrinks_back() {
        TestServer.Account host = server.newUser();
        List<TestAgent> agents = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            TestServer.Hosted m =
                    server.hostMachine(host, TestMachines.machine("RTX 4090", 1, "Oslo, NO", 47000 + i), 0.4, Map.of());
            agents.add(server.agent(m));
        }
        assertThat(agents.get(0).sync().holdSeconds()).as("nothing counted yet").isEqualTo(6);

        for (TestAgent a : agents.subList(0, 20)) a.sync();
        server.tick();
        assertThat(agents.get(0).sync().holdSeconds())
                .as("20 agents / 2 a second")
                .isEqualTo(10);
        assertThat(agents.get(0).sync().nextWaitSeconds()).isEqualTo(10);

        for (TestAgent a : agents) a.sync();
        server.tick();
        assertThat(agents.get(0).sync().holdSeconds())
                .as("40 agents would need 20 s")
                .isEqualTo(15);

        CLOCK.advance(Duration.ofSeconds(31));
        agents.get(0).sync();
        server.tick();
        assertThat(agents.get(0).sync().holdSeconds()).as("one agent left").isEqualTo(6);
    }
}
