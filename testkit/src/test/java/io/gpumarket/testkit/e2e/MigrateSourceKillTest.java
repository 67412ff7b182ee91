package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.server.billing.Tick;
import io.gpumarket.store.Store;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import io.gpumarket.testkit.billing.Charges;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The source's agent killed ({@code kill -9}) in the middle of a move's copy (docs/migrate.md, "When it is given
 * up"), with two real agents in their own JVMs and process instances: the destination's pull fails after its
 * retries, the move rolls back, and the instance is whole on exactly one machine — its old one, every byte of its
 * disk there, nothing of it left on the destination. With the source's agent back, the same move is asked again and
 * completes: the files read back through ssh under the same instance id on the new machine, and the renter's charges
 * equal the independent recomputation of both placements' contracts to the micro-dollar. The server killed mid-copy
 * is {@link MigrateServerKillTest}.
 */
class MigrateSourceKillTest {
    /** Big enough that the copy is still going when the first progress report shows (reports are 2 s apart). */
    private static final int BIG_MB = 1000;
    /** The server's default: three missed 10 s heartbeats (AgentTimings.defaults). */
    static final Duration UNKNOWN_AFTER = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static TestServer server;
    static TestServer.Account renter;
    static Ssh ssh;
    static final List<AgentProcess> agents = new ArrayList<>();
    static final List<Long> machines = new ArrayList<>();
    static final List<String> tokens = new ArrayList<>();
    static final List<Integer> portBlocks = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        renter = server.newRenter(1000);
        ssh = Ssh.newIdentity(Files.createDirectories(dir.resolve("keys")));
        assertThat(Http.post(server.api() + "/ssh/", renter.key(), "{\"ssh_key\": \"" + ssh.publicKey() + "\"}")
                        .status())
                .isEqualTo(200);
        for (String place : List.of("Oslo, NO", "Lima, PE")) {
            TestServer.Account host = server.newUser();
            int ports = AgentProcess.freePortBlock(20);
            var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 1, place, ports));
            Http.put(
                    server.api() + "/machines/create_asks/",
                    host.key(),
                    "{\"machine\": " + registered.machineId() + ", \"price_gpu\": 0.3, \"min_bid\": 0.1}");
            machines.add(registered.machineId());
            tokens.add(registered.machineToken());
            portBlocks.add(ports);
            agents.add(agent(machines.size() - 1).start());
        }
    }

    static AgentProcess agent(int n) {
        return new AgentProcess(
                server.url(),
                tokens.get(n),
                dir.resolve("agent-" + (n + 1)),
                "1x RTX 4090",
                portBlocks.get(n),
                portBlocks.get(n) + 19);
    }

    @AfterAll
    static void stop() throws Exception {
        for (JsonNode i :
                Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
            Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
        }
        for (int n = 0; n < agents.size(); n++) {
            agents.get(n).close();
            try (ProcessLauncher leftovers =
                    new ProcessLauncher(dir.resolve("agent-" + (n + 1)).resolve("instances"))) {
                leftovers.known().forEach(leftovers::destroy);
            }
        }
        server.close();
    }

    static long offerOn(long machine) {
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        return Http.post(server.api() + "/bundles/", renter.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
    }

    static JsonNode instance(long id) {
        return Http.get(server.api() + "/instances/" + id + "/", renter.key())
                .json()
                .get("instances");
    }

    static JsonNode lastMigration(long id) {
        return Moves.latest(server.api(), renter.key(), id);
    }

    static int awaitRunning(long id) {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> "running".equals(instance(id).path("actual_status").asText()));
        return instance(id).get("ssh_port").asInt();
    }

    static Path instanceDir(int agent, long id) {
        return dir.resolve("agent-" + (agent + 1)).resolve("instances").resolve(Long.toString(id));
    }

    static boolean listening(int port) {
        try (var s = new java.net.Socket()) {
            s.connect(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            int n;
            while ((n = in.read(buf)) > 0) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void a_source_agent_killed_mid_copy_leaves_the_instance_whole_on_its_old_machine_and_the_move_succeeds_later()
            throws Exception {
        var created = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": \"true\","
                        + " \"label\": \"moving\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long x = created.json().get("new_contract").asLong();
        int door = awaitRunning(x);
        var wrote = ssh.exec(
                "127.0.0.1",
                door,
                "mkdir -p /workspace/data && echo 'weights v1' > /workspace/data/model.txt" + " && head -c " + BIG_MB
                        + "M /dev/urandom > /root/big.bin && sha256sum /root/big.bin");
        assertThat(wrote.exitCode()).as(wrote.output()).isZero();
        String sum = wrote.output().strip().split("\\s+")[0];
        assertThat(Http.put(server.api() + "/instances/" + x + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "stopped".equals(instance(x).path("actual_status").asText()));

        Moves.moveTo(server.api(), renter.key(), x, offerOn(machines.get(1)));
        // the copy is under way: its progress shows in the instance's status message
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(instance(x).path("status_msg").asText())
                        .matches("moving to machine .*: copy from C\\." + x + ": \\d+% .*"));
        agents.get(0).kill();

        await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
            JsonNode m = lastMigration(x);
            assertThat(m.get("state").asText()).as(m.toString()).isEqualTo("rolled_back");
        });
        assertThat(instance(x).get("machine_id").asLong()).isEqualTo(machines.get(0));
        // whole on its old machine (the killed agent's instances are left as they were), nothing on the destination
        assertThat(sha256(instanceDir(0, x).resolve("root/big.bin"))).isEqualTo(sum);
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(instanceDir(1, x)));

        // the source's agent back: the same move again, now to the end
        agents.set(0, agent(0).start());
        // back in business once its door for copies (open while the instance is stopped) answers on the same port
        await().atMost(Duration.ofSeconds(60)).until(() -> listening(door));
        assertThat(instance(x).path("actual_status").asText()).isEqualTo("stopped");
        Moves.moveTo(server.api(), renter.key(), x, offerOn(machines.get(1)));
        Moves.awaitDone(server.api(), renter.key(), x, Duration.ofSeconds(240));
        assertThat(instance(x).get("machine_id").asLong()).isEqualTo(machines.get(1));
        int newDoor = awaitRunning(x);
        var read = ssh.exec("127.0.0.1", newDoor, "cat /workspace/data/model.txt && sha256sum /root/big.bin");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).contains("weights v1", sum);
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(instanceDir(0, x)));

        // the books: what the renter was charged equals the recomputation of both placements' contracts
        Tick t = server.tick();
        Store store = server.app().store();
        assertThat(Charges.charged(store, renter.id()))
                .as("charges at %s", t.to())
                .isEqualTo(Charges.recomputed(store, x, UNKNOWN_AFTER, t.to()))
                .isPositive();
    }
}
