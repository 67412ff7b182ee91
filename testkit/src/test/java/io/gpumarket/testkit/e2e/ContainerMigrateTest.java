package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.agent.launcher.limits.VolumeStorage;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.ContainerEngine;
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
 * Moving a container instance to another machine (docs/migrate.md), end to end with Podman: a real server, two real
 * agents on {@code --runtime docker} (one engine, each agent's containers its own), ssh. Files written in the running
 * container, which is stopped and its GPU taken by another renter; the move pulls the stopped container's root file
 * system into a container made for it on the second machine, never started there before ({@code
 * DockerLauncher.prepare}), which its first start re-creates with its ports; the files read back through ssh under
 * the same instance id, and the first machine's container is gone. A container with its own volume mounted moves
 * with it: the files written into the volume are read back at the same mount path on the second machine, whose
 * storage of the volume holds them, and the first machine's storage is wiped.
 */
class ContainerMigrateTest {
    @TempDir
    static Path dir;

    static ContainerEngine engine;
    static TestServer server;
    static TestServer.Account renter;
    static Ssh ssh;
    static final List<AgentProcess> agents = new ArrayList<>();
    static final List<Long> machines = new ArrayList<>();
    /** Each machine's volume offer (20 GB each). */
    static final List<Long> volumeOffers = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        engine = ContainerEngine.require();
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
                            ports + 19,
                            List.of("--runtime", "docker", "--docker-host", engine.dockerHost()))
                    .start());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (server == null) return;
        for (JsonNode i :
                Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
            Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
        }
        for (int n = 0; n < agents.size(); n++) {
            agents.get(n).close();
            try (var lines = Files.lines(agents.get(n).log())) {
                lines.filter(l -> l.contains("copy") || l.contains("migrat") || l.contains("container"))
                        .limit(60)
                        .forEach(System.out::println);
            } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
                // no log
            }
            launcher(n).removeAll();
            // a volume a failed test left is a mounted loop image: unmounted and wiped
            new VolumeStorage(volumesOf(n + 1)).keepOnly(java.util.Set.of());
        }
        server.close();
    }

    /** The agent's launcher as the agent makes it (its state directory names its containers). */
    static DockerLauncher launcher(int n) {
        return new DockerLauncher(
                new EngineClient(engine.dockerHost()),
                dir.resolve("agent-" + (n + 1)),
                new DockerLauncher.Host(1, 1000, 1, false, "127.0.0.1"));
    }

    /** Whether agent {@code n}'s containers include one of instance {@code id} (asked of the engine). */
    static boolean hasContainer(int n, long id) throws java.io.IOException {
        String owner =
                dir.resolve("agent-" + (n + 1)).toAbsolutePath().normalize().toString();
        String filters = "{\"label\": [\"io.gpumarket.owner=" + owner + "\", \"io.gpumarket.instance=" + id + "\"]}";
        var listed = new EngineClient(engine.dockerHost())
                .get("/containers/json?all=true&filters="
                        + java.net.URLEncoder.encode(filters, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(listed.ok()).isTrue();
        return !listed.json().isEmpty();
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
        await().atMost(Duration.ofMinutes(2))
                .until(() ->
                        "running".equals(instance(id, key).path("actual_status").asText()));
        return instance(id, key).get("ssh_port").asInt();
    }

    @Test
    void a_container_whose_gpu_was_taken_moves_to_another_machine_and_its_files_read_back_through_the_same_id()
            throws Exception {
        var created = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                renter.key(),
                "{\"image\": \"" + engine.image() + "\", \"disk\": 10, \"runtype\": \"ssh_direct\","
                        + " \"onstart\": \"echo started >> /root/starts\", \"label\": \"moving\", \"price\": 0.2}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long x = created.json().get("new_contract").asLong();
        int door = awaitRunning(x, renter.key());
        var wrote = ssh.exec(
                "127.0.0.1",
                door,
                "mkdir -p /data/sub && echo 'weights v1' > /data/sub/model.txt && ln -s sub/model.txt /data/link"
                        + " && head -c 300000 /dev/urandom > /root/big.bin && sha256sum /root/big.bin");
        assertThat(wrote.exitCode()).as(wrote.output()).isZero();
        String sum = wrote.output().strip().split("\\s+")[0];
        assertThat(Http.put(server.api() + "/instances/" + x + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofMinutes(1))
                .until(() -> "stopped"
                        .equals(instance(x, renter.key()).path("actual_status").asText()));
        TestServer.Account other = server.newRenter(100);
        var taken = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                other.key(),
                "{\"image\": \"" + engine.image()
                        + "\", \"disk\": 5, \"runtype\": \"ssh_direct\", \"onstart\": \"true\"}");
        assertThat(taken.status()).as(taken.body()).isEqualTo(200);

        Moves.moveTo(server.api(), renter.key(), x, offerOn(machines.get(1)));
        Moves.awaitDone(server.api(), renter.key(), x, Duration.ofMinutes(3));
        assertThat(instance(x, renter.key()).get("machine_id").asLong()).isEqualTo(machines.get(1));
        int newDoor = awaitRunning(x, renter.key());
        var read = ssh.exec(
                "127.0.0.1", newDoor, "cat /data/link && sha256sum /root/big.bin && cat /root/starts && hostname");
        assertThat(read.exitCode()).as(read.output()).isZero();
        // its onstart ran once on each machine: the first line came with the files
        assertThat(read.output()).contains("weights v1", sum, "started\nstarted\n", "C." + x);
        // the first machine's container is gone once the move is done
        await().atMost(Duration.ofMinutes(1)).until(() -> !hasContainer(0, x));
        assertThat(hasContainer(1, x)).isTrue();
        Http.call("DELETE", server.api() + "/instances/" + x + "/", renter.key(), "{}");
        Http.call(
                "DELETE",
                server.api() + "/instances/" + taken.json().get("new_contract").asLong() + "/",
                other.key(),
                "{}");
    }

    @Test
    void a_container_moves_with_its_own_volume_whose_files_read_back_at_the_same_path_on_the_new_machine()
            throws Exception {
        var created = Http.put(
                server.api() + "/asks/" + offerOn(machines.get(0)) + "/",
                renter.key(),
                "{\"image\": \"" + engine.image() + "\", \"disk\": 10, \"runtype\": \"ssh_direct\","
                        + " \"onstart\": \"true\", \"volume_info\": {\"create_new\": true, \"volume_id\": "
                        + volumeOffers.get(0) + ", \"size\": 5, \"mount_path\": \"/vol/models\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long x = created.json().get("new_contract").asLong();
        long vol = Http.get(server.api() + "/volumes/", renter.key())
                .json()
                .get("volumes")
                .get(0)
                .get("id")
                .asLong();
        int door = awaitRunning(x, renter.key());
        var wrote = ssh.exec(
                "127.0.0.1",
                door,
                "mkdir -p /vol/models/run && echo 'volume v1' > /vol/models/run/notes.txt"
                        + " && echo 'own v1' > /root/own.txt && head -c 300000 /dev/urandom > /vol/models/blob.bin"
                        + " && sha256sum /vol/models/blob.bin");
        assertThat(wrote.exitCode()).as(wrote.output()).isZero();
        String sum = wrote.output().strip().split("\\s+")[0];
        assertThat(Http.put(server.api() + "/instances/" + x + "/", renter.key(), "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofMinutes(1))
                .until(() -> "stopped"
                        .equals(instance(x, renter.key()).path("actual_status").asText()));

        Moves.moveTo(server.api(), renter.key(), x, offerOn(machines.get(1)));
        Moves.awaitDone(server.api(), renter.key(), x, Duration.ofMinutes(3));
        int newDoor = awaitRunning(x, renter.key());
        var read = ssh.exec(
                "127.0.0.1", newDoor, "cat /vol/models/run/notes.txt /root/own.txt && sha256sum /vol/models/blob.bin");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).contains("volume v1", "own v1", sum);
        assertThat(volumesOf(2).resolve(Long.toString(vol)).resolve("data/run/notes.txt"))
                .as("in the new machine's storage of the volume")
                .exists();
        JsonNode after = Http.get(server.api() + "/volumes/", renter.key())
                .json()
                .get("volumes")
                .get(0);
        assertThat(after.get("machine_id").asLong()).isEqualTo(machines.get(1));
        await().atMost(Duration.ofMinutes(1))
                .until(() -> !Files.exists(volumesOf(1).resolve(Long.toString(vol))));
        Http.call("DELETE", server.api() + "/instances/" + x + "/", renter.key(), "{}");
        await().atMost(Duration.ofMinutes(1))
                .until(() -> Http.delete(server.api() + "/volumes/", renter.key(), "{\"id\": " + vol + "}")
                                .status()
                        == 200);
        await().atMost(Duration.ofMinutes(1))
                .until(() -> !Files.exists(volumesOf(2).resolve(Long.toString(vol))));
    }
}
