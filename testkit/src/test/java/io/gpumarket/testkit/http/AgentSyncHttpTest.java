package io.gpumarket.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.api.ActualStatus;
import io.gpumarket.api.Wire;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.InstanceReport;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestKeys;
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

/** The server's half of the agent protocol, driven the way an agent drives it: plain HTTP with a machine token. */
class AgentSyncHttpTest {
    static final AtomicInteger PORTS = new AtomicInteger(45000);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account host;
    static TestServer.Account renter;

    @BeforeAll
    static void start() {
        host = server.newUser();
        renter = server.newRenter();
    }

    static TestServer.Hosted machine(int gpus) {
        return server.hostMachine(
                host,
                TestMachines.machine("RTX 4090", gpus, "Oslo, NO", PORTS.getAndAdd(100)),
                0.4,
                Map.of("verification", "verified"));
    }

    @Test
    void the_desired_state_carries_everything_the_agent_needs_to_run_the_instance() {
        String key = TestKeys.ed25519("renter@laptop");
        assertThat(Http.post(server.api() + "/ssh/", renter.key(), "{\"ssh_key\": \"" + key + "\"}")
                        .status())
                .isEqualTo(200);
        TestServer.Hosted m = machine(2);
        Rentals.Rented rented = Rentals.rent(server, renter, m.id(), 1, """
                {"image": "pytorch/pytorch", "disk": 12, "runtype": "ssh_direct", "env": {"TZ": "UTC", "-p 8080:8080": "1"},
                 "onstart": "echo hello", "args_str": "python train.py", "label": "job"}""");

        SyncResponse state = server.agent(m).sync();
        DesiredInstance d = TestAgent.find(state, rented.id());

        assertThat(state.machineId()).isEqualTo(m.id());
        assertThat(state.heartbeatSeconds()).isEqualTo(10);
        assertThat(state.instances()).hasSize(1);
        assertThat(d.intendedStatus()).isEqualTo("running");
        assertThat(d.image()).isEqualTo("pytorch/pytorch");
        assertThat(d.env()).containsExactly(List.of("TZ", "UTC"), List.of("-p 8080:8080", "1"));
        assertThat(d.onstart()).isEqualTo("echo hello");
        assertThat(d.argsStr()).isEqualTo("python train.py");
        assertThat(d.runtype()).isEqualTo("ssh");
        assertThat(d.diskGb()).isEqualTo(12.0);
        assertThat(d.numGpus()).isEqualTo(1);
        assertThat(d.sshPort()).isEqualTo(PORTS.get() - 100);
        assertThat(d.ports()).containsExactly(Map.entry("8080/tcp", d.sshPort() + 1));
        assertThat(d.sshKeys()).containsExactly(key);
        assertThat(d.containerApiKey()).isEqualTo(rented.key());
        assertThat(d.publicIpaddr()).isEqualTo("127.0.0.1");
        assertThat(d.label()).isEqualTo("job");
        assertThat(d.logRequests()).isEmpty();
        assertThat(d.imageLogin()).isNull();
    }

    @Test
    void image_login_reaches_only_the_machines_agent_and_is_never_shown() {
        TestServer.Hosted m = machine(1);
        Rentals.Rented rented = Rentals.rent(server, renter, m.id(), 1, """
                {"image": "registry.example.org/team/model:1", "disk": 8, "runtype": "ssh",
                 "image_login": "-u bob -p hunter2 registry.example.org"}""");

        DesiredInstance d = TestAgent.find(server.agent(m).sync(), rented.id());
        assertThat(d.imageLogin()).isEqualTo("-u bob -p hunter2 registry.example.org");

        var shown = Http.get(server.api() + "/instances/" + rented.id() + "/", renter.key());
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.body()).doesNotContain("hunter2");
        assertThat(Http.get(server.url() + "/api/v1/instances/", renter.key()).body())
                .doesNotContain("hunter2");
    }

    @Test
    void reports_set_the_actual_status_renters_see_and_never_the_intended_one() {
        TestServer.Hosted m = machine(1);
        TestAgent agent = server.agent(m);
        long id = Rentals.rentOne(server, renter, m.id()).id();

        agent.report(new InstanceReport(id, ActualStatus.LOADING, "pulling image", 0, 0, 0, 0, 1));
        assertThat(Rentals.show(server, renter.key(), id).get("actual_status").asText())
                .isEqualTo("loading");

        agent.report(new InstanceReport(id, ActualStatus.STOPPED, "exited by itself", 0, 4.0, 0.5, 0, 1));
        var shown = Rentals.show(server, renter.key(), id);
        assertThat(shown.get("actual_status").asText()).isEqualTo("stopped");
        assertThat(shown.get("status_msg").asText()).isEqualTo("exited by itself");
        assertThat(shown.get("intended_status").asText())
                .as("two fields, two writers")
                .isEqualTo("running");
        assertThat(shown.get("disk_usage").asDouble()).isEqualTo(4.0);
        assertThat(shown.get("cpu_util").asDouble()).isEqualTo(0.5);

        agent.report(new InstanceReport(
                id,
                ActualStatus.RUNNING,
                "success, running pytorch/pytorch",
                0,
                4.0,
                0.5,
                server.app().config().clock().instant().getEpochSecond() - 120,
                1));
        shown = Rentals.show(server, renter.key(), id);
        assertThat(shown.get("ports").get("22/tcp").get(0).get("HostPort").asText())
                .isEqualTo(String.valueOf(shown.get("ssh_port").asInt()));
        assertThat(shown.get("ports").get("22/tcp").get(0).get("HostIp").asText())
                .isEqualTo("0.0.0.0");
        assertThat(shown.get("uptime_mins").asDouble()).isBetween(1.9, 3.0);
        assertThat(server.app().store().repos().instances().events(id))
                .extracting(e -> e.actualStatus())
                .containsExactly("loading", "stopped", "running");
    }

    @Test
    void an_agent_cannot_report_for_another_machines_instance() {
        TestServer.Hosted mine = machine(1);
        TestServer.Hosted other = machine(1);
        long id = Rentals.rentOne(server, renter, mine.id()).id();

        server.agent(other).report(id, "exited");

        assertThat(Rentals.show(server, renter.key(), id).get("actual_status").isNull())
                .isTrue();
    }

    @Test
    void a_status_the_protocol_does_not_know_is_refused() {
        TestServer.Hosted m = machine(1);
        long id = Rentals.rentOne(server, renter, m.id()).id();

        var r = server.agent(m)
                .syncRaw("{\"revision\": 0, \"wait_seconds\": 0, \"instances\": [{\"id\": " + id
                        + ", \"actual_status\": \"offline\", \"status_msg\": \"\", \"ssh_port\": 0, \"disk_usage_gb\": 0,"
                        + " \"cpu_util\": 0, \"started_at\": 0, \"applied_revision\": 0}], \"removed\": []}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("msg").asText()).contains("instance " + id).contains("offline");
    }

    @Test
    void a_status_string_no_status_names_is_refused_naming_the_choices() {
        TestServer.Hosted m = machine(1);
        long id = Rentals.rentOne(server, renter, m.id()).id();

        var r = server.agent(m)
                .syncRaw("{\"revision\": 0, \"wait_seconds\": 0, \"instances\": [{\"id\": " + id
                        + ", \"actual_status\": \"hibernating\", \"status_msg\": \"\", \"ssh_port\": 0, \"disk_usage_gb\": 0,"
                        + " \"cpu_util\": 0, \"started_at\": 0, \"applied_revision\": 0}], \"removed\": []}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("invalid_args");
        assertThat(r.json().get("msg").asText())
                .contains("hibernating")
                .contains("actual_status")
                .contains("running");
        assertThat(Rentals.show(server, renter.key(), id).get("actual_status").isNull())
                .isTrue();
    }

    @Test
    void a_long_poll_is_answered_within_a_second_of_a_change() {
        TestServer.Hosted m = machine(1);
        TestAgent agent = server.agent(m);
        long id = Rentals.rentOne(server, renter, m.id()).id();
        long seen = agent.sync().revision();

        CompletableFuture<SyncResponse> poll = CompletableFuture.supplyAsync(() -> agent.poll(10));
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !poll.isDone());
        long changedAt = System.nanoTime();
        Http.put(server.api() + "/instances/" + id + "/", renter.key(), "{\"state\": \"stopped\"}");

        SyncResponse answer =
                poll.orTimeout(1, java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(Duration.ofNanos(System.nanoTime() - changedAt)).isLessThan(Duration.ofSeconds(1));
        assertThat(answer.revision()).isGreaterThan(seen);
        assertThat(TestAgent.find(answer, id).intendedStatus()).isEqualTo("stopped");
    }

    @Test
    void a_long_poll_with_a_stale_revision_is_answered_at_once() {
        TestServer.Hosted m = machine(1);
        TestAgent agent = server.agent(m);

        long started = System.nanoTime();
        SyncResponse answer = agent.sync(new io.gpumarket.api.agent.SyncRequest(1, 10, List.of(), List.of()));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(answer.revision()).isNotEqualTo(1);
    }

    @Test
    void agent_routes_take_machine_tokens_only_and_renter_routes_api_keys_only() {
        TestServer.Hosted m = machine(1);

        assertThat(Http.post(server.api() + "/agent/sync/", renter.key(), "{}").status())
                .isEqualTo(401);
        assertThat(Http.post(server.api() + "/agent/sync/", null, "{}").status())
                .isEqualTo(403);
        assertThat(Http.post(server.api() + "/agent/sync/", "not-a-token", "{}").status())
                .isEqualTo(401);
        assertThat(Http.get(server.api() + "/instances/", m.token()).status()).isEqualTo(401);
        assertThat(Http.get(server.api() + "/users/current/", m.token()).status())
                .isEqualTo(401);
        assertThat(Http.post(server.api() + "/agent/sync/", m.token(), "{\"revision\": 0, \"wait_seconds\": 0}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void the_agents_fingerprint_updates_the_hardware_and_keeps_listing_and_verification() throws Exception {
        TestServer.Hosted m = machine(2);
        MachineRegistration base = TestMachines.machine("RTX 4090", 2, "Oslo, NO", 47000);
        MachineRegistration fingerprint = new MachineRegistration(
                base.gpuName(),
                2,
                base.gpuRam(),
                base.gpuArch(),
                base.computeCap(),
                base.cudaMaxGood(),
                "560.35.03",
                base.pcieBw(),
                base.pciGen(),
                base.gpuLanes(),
                base.gpuMaxPower(),
                base.gpuMaxTemp(),
                base.bwNvlink(),
                base.gpuDisplayActive(),
                base.cpuName(),
                base.cpuArch(),
                48,
                base.cpuGhz(),
                base.cpuRam(),
                base.hasAvx(),
                base.diskSpace(),
                base.diskBw(),
                base.diskName(),
                base.inetUp(),
                base.inetDown(),
                base.moboName(),
                base.osVersion(),
                "198.51.100.9",
                base.hostname(),
                47000,
                47099,
                base.geolocation(),
                false,
                false,
                false);
        List<Long> offersBefore = Rentals.offers(server, renter.key(), m.id()).stream()
                .map(o -> o.get("id").asLong())
                .toList();

        var r = Http.put(
                server.api() + "/agent/machine/", m.token(), Wire.mapper().writeValueAsString(fingerprint));

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("machine_id").asLong()).isEqualTo(m.id());
        var machine = server.app().store().repos().machines().find(m.id()).orElseThrow();
        assertThat(machine.spec().cpuCores()).isEqualTo(48);
        assertThat(machine.spec().driverVersion()).isEqualTo("560.35.03");
        assertThat(machine.spec().publicIpaddr()).isEqualTo("198.51.100.9");
        assertThat(machine.listed()).isTrue();
        assertThat(machine.verification().wire()).isEqualTo("verified");
        assertThat(Rentals.offers(server, renter.key(), m.id()))
                .extracting(o -> o.get("id").asLong())
                .as("same free GPUs, same offer ids")
                .containsExactlyInAnyOrderElementsOf(offersBefore);
        assertThat(server.agent(m).sync().instances()).isEmpty();
    }

    @Test
    void removed_reports_for_unknown_instances_are_harmless() {
        TestServer.Hosted m = machine(1);
        assertThat(server.agent(m).removed(123_456_789L).instances()).isEmpty();
    }

    @Test
    void instances_an_agent_left_on_its_host_show_on_the_hosts_machine_until_it_stops_finding_them() {
        TestServer.Hosted m = machine(1);
        TestAgent agent = server.agent(m);
        agent.sync(new SyncRequest(0, 0, List.of(), List.of(), List.of(4242L)));
        assertThat(orphans(m)).containsExactly(4242);
        agent.sync(new SyncRequest(0, 0, List.of(), List.of(), null));
        assertThat(orphans(m))
                .as("an agent that has not looked yet changes nothing")
                .containsExactly(4242);
        agent.sync(new SyncRequest(0, 0, List.of(), List.of(), List.of()));
        assertThat(orphans(m)).isEmpty();
    }

    @Test
    void orphans_stored_before_the_server_started_are_cleared_by_the_first_sync_that_reports_none() {
        TestServer.Hosted m = machine(1);
        // written straight to the store, as a previous run of the server left them: this server has not seen them
        server.app().store().repos().machines().setOrphans(m.id(), List.of(7777L), java.time.Instant.now());
        TestAgent agent = server.agent(m);
        agent.sync(new SyncRequest(0, 0, List.of(), List.of(), List.of(7777L)));
        assertThat(orphans(m)).as("the same set reported again").containsExactly(7777);
        TestServer.Hosted other = machine(1);
        server.app().store().repos().machines().setOrphans(other.id(), List.of(8888L), java.time.Instant.now());
        server.agent(other).sync(new SyncRequest(0, 0, List.of(), List.of(), List.of()));
        assertThat(orphans(other)).isEmpty();
    }

    static List<Integer> orphans(TestServer.Hosted m) {
        var shown = Http.get(server.api() + "/machines/" + m.id() + "/", host.key())
                .json()
                .get(0)
                .get("orphaned_instances");
        List<Integer> out = new java.util.ArrayList<>();
        shown.forEach(n -> out.add(n.asInt()));
        return out;
    }
}
