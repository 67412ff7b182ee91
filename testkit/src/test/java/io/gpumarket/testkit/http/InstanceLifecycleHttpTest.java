package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.server.AgentTimings;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Managing instances: start, stop, label, reboot, destroy, one at a time or in bulk, and only one's own. */
class InstanceLifecycleHttpTest {
    static final AtomicInteger PORTS = new AtomicInteger(44000);

    @RegisterExtension
    static final TestServer server = TestServer.builder()
            .agentTimings(AgentTimings.defaults().withDestroyWait(Duration.ofSeconds(30)))
            .perClass();

    static TestServer.Account host;
    static TestServer.Account alice;
    static TestServer.Account bob;

    @BeforeAll
    static void start() {
        // A long destroy wait, so the test that waits for the agent's removal cannot pass by timing out.
        host = server.newUser();
        alice = server.newRenter();
        bob = server.newRenter();
    }

    static TestServer.Hosted machine(int gpus) {
        return server.hostMachine(
                host,
                TestMachines.machine("RTX 4090", gpus, "Oslo, NO", PORTS.getAndAdd(100)),
                0.4,
                Map.of("verification", "verified"));
    }

    static Http.Response manage(String key, long id, String body) {
        return Http.put(server.api() + "/instances/" + id + "/", key, body);
    }

    @Test
    void stop_start_label_and_reboot_change_the_desired_state_and_its_revision() {
        TestServer.Hosted m = machine(2);
        TestAgent agent = server.agent(m);
        long id = Rentals.rentOne(server, alice, m.id()).id();
        SyncResponse first = agent.sync();
        DesiredInstance before = TestAgent.find(first, id);

        var stopped = manage(alice.key(), id, "{\"state\": \"stopped\"}");
        SyncResponse afterStop = agent.sync();

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(stopped.json().get("success").asBoolean()).isTrue();
        assertThat(TestAgent.find(afterStop, id).intendedStatus()).isEqualTo("stopped");
        assertThat(TestAgent.find(afterStop, id).revision()).isGreaterThan(before.revision());
        assertThat(afterStop.revision()).isGreaterThan(first.revision());
        assertThat(Rentals.show(server, alice.key(), id).get("intended_status").asText())
                .isEqualTo("stopped");
        assertThat(Rentals.freeGpus(server, m.id()))
                .as("a stopped instance keeps its GPU")
                .isEqualTo(1);

        assertThat(manage(alice.key(), id, "{\"state\": \"running\"}").status()).isEqualTo(200);
        assertThat(TestAgent.find(agent.sync(), id).intendedStatus()).isEqualTo("running");

        var labelled = manage(alice.key(), id, "{\"label\": \"My ML Training Job\"}");
        assertThat(labelled.json().get("msg").asText()).isEqualTo("label for " + id + " set to 'My ML Training Job'");
        assertThat(TestAgent.find(agent.sync(), id).label()).isEqualTo("My ML Training Job");
        assertThat(Rentals.show(server, alice.key(), id).get("label").asText()).isEqualTo("My ML Training Job");

        var rebooted = Http.put(server.api() + "/instances/reboot/" + id + "/", alice.key(), "{}");
        DesiredInstance afterReboot = TestAgent.find(agent.sync(), id);
        assertThat(rebooted.status()).isEqualTo(200);
        assertThat(afterReboot.rebootCount()).isEqualTo(before.rebootCount() + 1);
        assertThat(afterReboot.revision()).isEqualTo(before.revision() + 4);
    }

    @Test
    void a_label_over_1024_characters_is_label_too_long() {
        long id = Rentals.rentOne(server, alice, machine(1).id()).id();
        var r = manage(alice.key(), id, "{\"label\": \"" + "x".repeat(1025) + "\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("label_too_long");
        assertThat(r.json().get("msg").asText())
                .isEqualTo("Please limit label length to 1024 characters, ideally less than 128.");
    }

    @Test
    void a_manage_call_without_state_or_label_or_with_an_unknown_state_is_a_400() {
        long id = Rentals.rentOne(server, alice, machine(1).id()).id();

        assertThat(manage(alice.key(), id, "{}").status()).isEqualTo(400);
        var frozen = manage(alice.key(), id, "{\"state\": \"frozen\"}");
        assertThat(frozen.status()).isEqualTo(400);
        assertThat(frozen.json().get("msg").asText()).contains("'state' must be running or stopped");
    }

    @Test
    void destroy_answers_once_the_agent_has_removed_the_instance_and_frees_its_gpus() {
        TestServer.Hosted m = machine(2);
        TestAgent agent = server.agent(m);
        Rentals.Rented rented = Rentals.rentOne(server, alice, m.id());
        agent.report(rented.id(), "running");
        List<Long> offersBefore = Rentals.offers(server, alice.key(), m.id()).stream()
                .map(o -> o.get("id").asLong())
                .toList();

        CompletableFuture<Http.Response> destroy = CompletableFuture.supplyAsync(
                () -> Http.delete(server.api() + "/instances/" + rented.id() + "/", alice.key(), "{}"));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> agent.sync().instances().isEmpty());
        assertThat(destroy)
                .as("DELETE waits while the agent has not removed it yet")
                .isNotDone();

        agent.removed(rented.id());

        Http.Response answer =
                destroy.orTimeout(2, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("success").asBoolean()).isTrue();
        assertThat(Rentals.show(server, alice.key(), rented.id()).isNull()).isTrue();
        assertThat(Rentals.freeGpus(server, m.id())).isEqualTo(2);
        assertThat(Rentals.offers(server, alice.key(), m.id()))
                .extracting(o -> o.get("num_gpus").asInt())
                .containsExactlyInAnyOrder(1, 2)
                .hasSize(2);
        assertThat(Rentals.offers(server, alice.key(), m.id()))
                .allSatisfy(o -> assertThat(o.get("id").asLong())
                        .isGreaterThan(offersBefore.stream().max(Long::compare).orElseThrow()));
        assertThat(Http.get(server.api() + "/instances/" + rented.id() + "/", rented.key())
                        .status())
                .as("the instance's own key is revoked")
                .isEqualTo(401);
        assertThat(server.app().store().repos().instances().events(rented.id()))
                .extracting(e -> e.actualStatus())
                .containsExactly("running", "destroyed");
    }

    @Test
    void destroy_does_not_wait_for_a_machine_whose_agent_is_silent() {
        TestServer.Hosted m = machine(1);
        long id = Rentals.rentOne(server, alice, m.id()).id();

        var r = Http.delete(server.api() + "/instances/" + id + "/", alice.key(), "{}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(Rentals.show(server, alice.key(), id).isNull()).isTrue();
        assertThat(Http.delete(server.api() + "/instances/" + id + "/", alice.key(), "{}")
                        .status())
                .as("destroyed is destroyed")
                .isEqualTo(404);
    }

    @Test
    void another_users_instance_is_answered_exactly_like_a_missing_one() {
        long id = Rentals.rentOne(server, alice, machine(1).id()).id();
        long missing = id + 1_000_000;

        assertThat(Rentals.show(server, bob.key(), id).isNull()).isTrue();
        assertThat(Rentals.show(server, bob.key(), missing).isNull()).isTrue();
        for (String[] call : new String[][] {
            {"PUT", "/instances/%d/", "{\"state\": \"stopped\"}"},
            {"DELETE", "/instances/%d/", "{}"},
            {"PUT", "/instances/reboot/%d/", "{}"},
            {"PUT", "/instances/request_logs/%d/", "{}"}
        }) {
            var theirs = Http.call(call[0], server.api() + call[1].formatted(id), bob.key(), call[2]);
            var none = Http.call(call[0], server.api() + call[1].formatted(missing), bob.key(), call[2]);
            assertThat(theirs.status())
                    .as(call[0] + " " + call[1])
                    .isEqualTo(404)
                    .isEqualTo(none.status());
            assertThat(theirs.json().get("error").asText()).isEqualTo("no_such_instance");
            assertThat(theirs.json().get("msg").asText()).isEqualTo("Instance " + id + " not found.");
        }
        assertThat(Rentals.show(server, alice.key(), id).get("intended_status").asText())
                .isEqualTo("running");
    }

    @Test
    void bulk_stop_and_bulk_destroy_take_lists_of_ids_and_refuse_any_not_owned() {
        TestServer.Hosted m = machine(4);
        long a = Rentals.rentOne(server, alice, m.id()).id();
        long b = Rentals.rentOne(server, alice, m.id()).id();
        long bobs = Rentals.rentOne(server, bob, m.id()).id();

        var refused = Http.put(
                server.api() + "/instances/",
                alice.key(),
                "{\"ids\": [" + a + ", " + bobs + "], \"state\": \"stopped\"}");
        assertThat(refused.status()).isEqualTo(404);
        assertThat(Rentals.show(server, alice.key(), a).get("intended_status").asText())
                .as("all or nothing")
                .isEqualTo("running");

        var stopped = Http.put(
                server.api() + "/instances/",
                alice.key(),
                "{\"ids\": [" + a + ", \"" + b + "\"], \"state\": \"stopped\"}");
        assertThat(stopped.status()).isEqualTo(200);
        assertThat(Rentals.show(server, alice.key(), a).get("intended_status").asText())
                .isEqualTo("stopped");
        assertThat(Rentals.show(server, alice.key(), b).get("intended_status").asText())
                .isEqualTo("stopped");

        var destroyed =
                Http.delete(server.api() + "/instances/", alice.key(), "{\"instance_ids\": [" + a + ", " + b + "]}");
        assertThat(destroyed.status()).isEqualTo(200);
        assertThat(Rentals.show(server, alice.key(), a).isNull()).isTrue();
        assertThat(Rentals.show(server, alice.key(), b).isNull()).isTrue();
        assertThat(Rentals.freeGpus(server, m.id())).isEqualTo(3);
        assertThat(Http.delete(server.api() + "/instances/", alice.key(), "{}").status())
                .isEqualTo(400);
    }

    @Test
    void the_legacy_list_shows_the_callers_live_instances_only() {
        TestServer.Account carol = server.newRenter();
        TestServer.Hosted m = machine(4);
        long a = Rentals.rentOne(server, carol, m.id()).id();
        long b = Rentals.rentOne(server, carol, m.id()).id();
        Rentals.rentOne(server, bob, m.id());
        Http.delete(server.api() + "/instances/" + b + "/", carol.key(), "{}");

        var r = Http.get(server.api() + "/instances/?owner=me", carol.key());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("instances_found").asInt()).isEqualTo(1);
        JsonNode only = r.json().get("instances").get(0);
        assertThat(only.get("id").asLong()).isEqualTo(a);
        assertThat(Http.get(server.api() + "/instances/", server.newUser().key())
                        .body())
                .isEqualTo("{\"instances_found\":0,\"instances\":[]}");
    }
}
