package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.limits.VolumeStorage;
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
 * machine no longer holds its disk. An instance with its own volume mounted moves with the volume: its contents are
 * read back at the same mount path on the new machine, whose storage holds them, and the old machine's is wiped.
 */
class MigrateEndToEndTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static TestServer.Account renter;
    static Ssh ssh;
    static final List<AgentProcess> agents = new ArrayList<>();
    static final List<Long> machines = new ArrayList<>();
    /** Each machine's volume offer (20 GB each). */
    static final List<Long> volumeOffers = new ArrayList<>();

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
            var listed = Http.post(
                    server.api() + "/volumes/",
                    host.key(),
                    "{\"size\": 20, \"machine\": " + registered.machineId() + ", \"price_disk\": 0.1}");
            assertThat(listed.status()).as(listed.body()).isEqualTo(200);
            volumeOffers.add(listed.json().get("volume_offer_ids").get(0).asLong());
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
            // a volume a failed test left is a mounted loop image: unmounted and wiped
            new VolumeStorage(volumesOf(n + 1)).keepOnly(java.util.Set.of());
        }
        server.close();
    }

    static Path volumesOf(int agent) {
        return dir.resolve("agent-" + agent).resolve("volumes");
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

        Moves.moveTo(server.api(), renter.key(), x, offerOn(machines.get(1)));
        Moves.awaitDone(server.api(), renter.key(), x, Duration.ofSeconds(180));
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

    @Test
    void an_instance_moves_with_its_own_volume_whose_files_read_back_at_the_same_path_on_the_new_machine()
            throws Exception {
        var created = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": \"true\","
                        + " \"volume_info\": {\"create_new\": true, \"volume_id\": " + volumeOffers.get(0)
                        + ", \"size\": 5, \"mount_path\": \"/data\", \"name\": \"models\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long x = created.json().get("new_contract").asLong();
        JsonNode volume = Http.get(server.api() + "/volumes/", renter.key())
                .json()
                .get("volumes")
                .get(0);
        long vol = volume.get("id").asLong();
        assertThat(volume.get("machine_id").asLong()).isEqualTo(machines.get(0));
        int door = awaitRunning(x, renter.key());
        var wrote = ssh.exec(
                "127.0.0.1",
                door,
                "mkdir -p /data/run && echo 'volume v1' > /data/run/notes.txt && echo 'own v1' > /root/own.txt"
                        + " && head -c 300000 /dev/urandom > /data/blob.bin && sha256sum /data/blob.bin");
        assertThat(wrote.exitCode()).as(wrote.output()).isZero();
        String sum = wrote.output().strip().split("\\s+")[0];
        assertThat(Http.put(server.api() + "/instances/" + x + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "stopped"
                        .equals(instance(x, renter.key()).path("actual_status").asText()));

        Moves.moveTo(server.api(), renter.key(), x, offerOn(machines.get(1)));
        Moves.awaitDone(server.api(), renter.key(), x, Duration.ofSeconds(180));
        int newDoor = awaitRunning(x, renter.key());
        var read = ssh.exec("127.0.0.1", newDoor, "cat /data/run/notes.txt /root/own.txt && sha256sum /data/blob.bin");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).contains("volume v1", "own v1", sum);
        var own = ssh.exec("127.0.0.1", newDoor, "ls /root /workspace");
        assertThat(own.output())
                .as("the volume's files are in the volume, not copied into the instance's own directories")
                .contains("own.txt")
                .doesNotContain("blob.bin", "run");
        assertThat(volumesOf(2).resolve(Long.toString(vol)).resolve("data/run/notes.txt"))
                .as("in the new machine's storage of the volume")
                .exists();
        JsonNode after = Http.get(server.api() + "/volumes/", renter.key())
                .json()
                .get("volumes")
                .get(0);
        assertThat(after.get("id").asLong()).isEqualTo(vol);
        assertThat(after.get("machine_id").asLong()).isEqualTo(machines.get(1));
        assertThat(after.get("instances")).extracting(JsonNode::asLong).containsExactly(x);
        assertThat(volumesOf(2).resolve(Long.toString(vol))).exists();
        // the first machine no longer holds the volume's storage (nor the instance's disk)
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !Files.exists(volumesOf(1).resolve(Long.toString(vol))));
        Http.call("DELETE", server.api() + "/instances/" + x + "/", renter.key(), "{}");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> Http.delete(server.api() + "/volumes/", renter.key(), "{\"id\": " + vol + "}")
                                .status()
                        == 200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> !Files.exists(volumesOf(2).resolve(Long.toString(vol))));
    }
}
