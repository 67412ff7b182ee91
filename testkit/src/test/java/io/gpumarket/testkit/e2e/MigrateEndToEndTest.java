package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving an instance whose GPUs another renter took (docs/migrate.md), end to end: a real server, two real agents in
 * their own JVMs, process instances and the system's {@code ssh}. The renter's interruptible instance on the first
 * machine gets files written through ssh and is stopped; another renter rents that machine's only GPU; the instance
 * is moved to the second machine and the files are read back through ssh under the same instance id, while the first
 * machine no longer holds its disk.
 */
class MigrateEndToEndTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static TestServer.Account renter;
    static Ssh ssh;
    static final List<AgentProcess> agents = new ArrayList<>();
    static final List<Long> machines = new ArrayList<>();

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
            agents.add(new AgentProcess(
                            server.url(),
                            registered.machineToken(),
                            dir.resolve("agent-" + machines.size()),
                            "1x RTX 4090",
                            ports,
                            ports + 19)
                    .start());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (TestServer.Account who : List.of(renter)) {
            for (JsonNode i :
                    Http.get(server.api() + "/instances/", who.key()).json().get("instances")) {
                Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", who.key(), "{}");
            }
        }
        for (int n = 0; n < agents.size(); n++) {
            agents.get(n).close();
            try (var lines = Files.lines(agents.get(n).log())) {
                lines.filter(l -> l.contains("copy") || l.contains("migrat"))
                        .limit(40)
                        .forEach(System.out::println);
            } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
                // no log
            }
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

    static JsonNode instance(long id, String key) {
        return Http.get(server.api() + "/instances/" + id + "/", key).json().get("instances");
    }

    static int awaitRunning(long id, String key) {
        await().atMost(Duration.ofSeconds(120))
                .until(() ->
                        "running".equals(instance(id, key).path("actual_status").asText()));
        return instance(id, key).get("ssh_port").asInt();
    }

    @Test
    void an_instance_whose_gpus_were_taken_moves_to_another_machine_and_its_files_read_back_through_the_same_id()
            throws Exception {
        var created = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": \"true\","
                        + " \"label\": \"moving\", \"price\": 0.2}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long x = created.json().get("new_contract").asLong();
        int door = awaitRunning(x, renter.key());
        var wrote = ssh.exec(
                "127.0.0.1",
                door,
                "mkdir -p /workspace/data && echo 'weights v1' > /workspace/data/model.txt"
                        + " && head -c 300000 /dev/urandom > /root/big.bin && sha256sum /root/big.bin");
        assertThat(wrote.exitCode()).as(wrote.output()).isZero();
        String sum = wrote.output().strip().split("\\s+")[0];

        assertThat(Http.put(server.api() + "/instances/" + x + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "stopped"
                        .equals(instance(x, renter.key()).path("actual_status").asText()));
        // another renter takes the machine's only GPU
        TestServer.Account other = server.newRenter(100);
        var taken = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                other.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 5, \"runtype\": \"ssh_direct\", \"onstart\": \"true\"}");
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);

        var moved = Http.put(
                server.api() + "/instances/migrate/" + x + "/",
                renter.key(),
                "{\"offer_id\": " + offerOn(machines.get(1)) + "}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
            JsonNode m = Http.get(server.api() + "/instances/migrate/" + x + "/", renter.key())
                    .json()
                    .get("migrations")
                    .get(0);
            assertThat(m.get("state").asText()).as(m.toString()).isIn("done", "starting", "copying", "reserved");
            assertThat(m.get("state").asText()).as(m.toString()).isEqualTo("done");
        });
        JsonNode shown = instance(x, renter.key());
        assertThat(shown.get("machine_id").asLong()).isEqualTo(machines.get(1));
        assertThat(shown.get("label").asText()).isEqualTo("moving");
        int newDoor = awaitRunning(x, renter.key());
        var read = ssh.exec("127.0.0.1", newDoor, "cat /workspace/data/model.txt && sha256sum /root/big.bin");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).contains("weights v1", sum);
        // the first machine no longer holds the instance's disk
        Path oldDisk = dir.resolve("agent-1").resolve("instances").resolve(Long.toString(x));
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(oldDisk));
        Http.call("DELETE", server.api() + "/instances/" + x + "/", renter.key(), "{}");
        Http.call(
                "DELETE",
                server.api() + "/instances/" + taken.json().get("new_contract").asLong() + "/",
                other.key(),
                "{}");
    }
}
