package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A server's start reads what a reconnecting fleet asks for first (tokens, stored orphans, which machines run nothing)
 * so that those syncs are answered from memory (AgentService.primeFleet), and the desired states of machines running
 * something. What the agents are answered after a restart
 * must be exactly what a server without that memory would answer. Runs on both backends.
 */
class FleetRestartHttpTest {
    @Test
    void after_a_restart_each_agent_is_answered_its_own_machines_state_from_its_first_sync() {
        try (TestServer server = TestServer.start()) {
            TestServer.Account host = server.newUser();
            TestServer.Account renter = server.newRenter();
            TestServer.Hosted idle = machine(server, host, 46_100);
            TestServer.Hosted busy = machine(server, host, 46_200);
            TestServer.Hosted orphaned = machine(server, host, 46_300);
            long rented = Rentals.rent(server, renter, busy.id(), 1, "{\"image\": \"ubuntu\", \"disk\": 10}")
                    .id();
            server.agent(idle).sync();
            server.agent(busy).sync();
            server.app().store().repos().machines().setOrphans(orphaned.id(), List.of(7777L), Instant.now());

            server.restart();

            SyncResponse idleState = server.agent(idle).sync();
            assertThat(idleState.machineId()).isEqualTo(idle.id());
            assertThat(idleState.instances()).isEmpty();
            SyncResponse busyState = server.agent(busy).sync();
            assertThat(busyState.machineId()).isEqualTo(busy.id());
            assertThat(busyState.instances()).extracting(d -> d.id()).containsExactly(rented);
            // a busy machine's state is primed too, and a change after the start is answered at the next sync
            assertThat(Http.put(server.api() + "/instances/" + rented + "/", renter.key(), "{\"state\": \"stopped\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(server.agent(busy).sync().instances())
                    .extracting(d -> d.intendedStatus())
                    .containsExactly("stopped");
            // the primed orphans are the stored ones: reporting the same set keeps it, reporting none clears it
            TestAgent agent = server.agent(orphaned);
            agent.sync(new SyncRequest(0, 0, List.of(), List.of(), List.of(7777L)));
            assertThat(orphans(server, host, orphaned)).containsExactly(7777);
            agent.sync(new SyncRequest(0, 0, List.of(), List.of(), List.of()));
            assertThat(orphans(server, host, orphaned)).isEmpty();
            // a machine primed as idle learns of a rent made after the start at its next sync
            long later = Rentals.rent(server, renter, idle.id(), 1, "{\"image\": \"ubuntu\", \"disk\": 10}")
                    .id();
            assertThat(server.agent(idle).sync().instances())
                    .extracting(d -> d.id())
                    .containsExactly(later);
            // a token that names no machine is still refused, primed cache or not
            assertThat(new TestAgent(server.url(), "not-a-token")
                            .syncRaw("{\"revision\": 0}")
                            .status())
                    .isEqualTo(401);
        }
    }

    private static TestServer.Hosted machine(TestServer server, TestServer.Account host, int ports) {
        return server.hostMachine(
                host, TestMachines.machine("RTX 4090", 2, "Oslo, NO", ports), 0.4, Map.of("verification", "verified"));
    }

    private static List<Integer> orphans(TestServer server, TestServer.Account host, TestServer.Hosted m) {
        var shown = Http.get(server.api() + "/machines/" + m.id() + "/", host.key())
                .json()
                .get(0)
                .get("orphaned_instances");
        List<Integer> out = new java.util.ArrayList<>();
        shown.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
