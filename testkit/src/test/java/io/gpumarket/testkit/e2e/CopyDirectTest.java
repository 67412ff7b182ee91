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
 * Instance-to-instance copy across two machines ({@code PUT /commands/copy_direct/}, vastai's {@code copy ID:/p
 * ID:/p}): a real server, two real agents in their own JVMs, process instances. The destination's agent pulls from
 * the source instance's door with the copy's one-time ticket; the progress and the end show in the destination's
 * status_msg; the tree arrives byte for byte; the audit log shows the call; cancel answers.
 */
class CopyDirectTest {
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
            var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 2, place, ports));
            Http.put(
                    server.api() + "/machines/create_asks/",
                    host.key(),
                    "{\"machine\": " + registered.machineId() + ", \"price_gpu\": 0.3}");
            machines.add(registered.machineId());
            agents.add(new AgentProcess(
                            server.url(),
                            registered.machineToken(),
                            dir.resolve("agent-" + machines.size()),
                            "2x RTX 4090",
                            ports,
                            ports + 19)
                    .start());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        for (JsonNode i :
                Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
            Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
        }
        for (int n = 0; n < agents.size(); n++) {
            agents.get(n).close();
            // the agents' copy lines, for a failure's report (the logs go with the temporary directory)
            try (var lines = Files.lines(agents.get(n).log())) {
                lines.filter(l -> l.contains("copy")).limit(40).forEach(System.out::println);
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

    static long rentOn(long machine) {
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        long offer = Http.post(server.api() + "/bundles/", renter.key(), q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
        var created = Http.put(
                server.api() + "/asks/" + offer + "/",
                renter.key(),
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": \"true\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return created.json().get("new_contract").asLong();
    }

    static JsonNode instance(long id) {
        return Http.get(server.api() + "/instances/" + id + "/", renter.key())
                .json()
                .get("instances");
    }

    static int awaitRunning(long id) {
        await().atMost(Duration.ofSeconds(90))
                .until(() -> "running".equals(instance(id).path("actual_status").asText()));
        return instance(id).get("ssh_port").asInt();
    }

    static Ssh.Result rsync(int door, String from, String to) {
        List<String> e = new ArrayList<>(List.of("ssh"));
        e.addAll(ssh.options());
        e.addAll(List.of("-p", Integer.toString(door)));
        return ssh.tool(List.of("rsync", "-a", "-e", String.join(" ", e), from, to));
    }

    @Test
    void a_tree_goes_from_an_instance_on_one_machine_to_one_on_another_byte_for_byte_with_progress_in_status_msg()
            throws Exception {
        long src = rentOn(machines.get(0));
        long dst = rentOn(machines.get(1));
        int srcPort = awaitRunning(src);
        int dstPort = awaitRunning(dst);
        Path data = CopyTrees.tree(dir.resolve("tree/data"));
        assertThat(rsync(srcPort, data.toString(), "vastai_kaalia@127.0.0.1::" + src + "//workspace/")
                        .exitCode())
                .isZero();

        long recordedBefore = copyDirectCalls();
        var started = Http.put(
                server.api() + "/commands/copy_direct/",
                renter.key(),
                "{\"client_id\": \"me\", \"src_id\": \"C." + src + "\", \"dst_id\": \"" + dst
                        + "\", \"src_path\": \"/workspace/data/\", \"dst_path\": \"/root/received/\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        assertThat(started.json().get("success").asBoolean()).isTrue();

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(instance(dst).path("status_msg").asText())
                        .isEqualTo("copy from C." + src + " finished"));
        Path back = Files.createDirectories(dir.resolve("back"));
        var got = rsync(dstPort, "vastai_kaalia@127.0.0.1::" + dst + "//root/received/", back + "/");
        assertThat(got.exitCode()).as(got.output()).isZero();
        assertThat(CopyTrees.contents(back)).isEqualTo(CopyTrees.contents(data)).hasSize(6);

        assertThat(copyDirectCalls() - recordedBefore).isEqualTo(1);

        var cancel = Http.call(
                "DELETE",
                server.api() + "/commands/copy_direct/",
                renter.key(),
                "{\"client_id\": \"me\", \"dst_id\": \"" + dst + "\"}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        assertThat(cancel.json().get("msg").asText()).isEqualTo("No copy into " + dst + " was going.");
    }

    static void stopAndAwait(long id) {
        var r = Http.put(server.api() + "/instances/" + id + "/", renter.key(), "{\"state\": \"stopped\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "stopped".equals(instance(id).path("actual_status").asText()));
    }

    /**
     * Vast copies stopped instances, and issue 23's migration copies a stopped instance's disk: the stopped source's
     * door serves only the copy user, over its files at rest; the copy goes agent to agent into a stopped
     * destination; this machine copies into and out of stopped instances through vastai's path; a root login is
     * refused while stopped; neither instance starts.
     */
    @Test
    void a_stopped_instance_is_copied_to_a_stopped_one_on_another_machine_and_to_and_from_this_machine()
            throws Exception {
        long src = rentOn(machines.get(0));
        long dst = rentOn(machines.get(1));
        int srcPort = awaitRunning(src);
        int dstPort = awaitRunning(dst);
        Path data = CopyTrees.tree(dir.resolve("stopped-tree/data"));
        assertThat(rsync(srcPort, data.toString(), "vastai_kaalia@127.0.0.1::" + src + "//workspace/")
                        .exitCode())
                .isZero();
        stopAndAwait(src);
        stopAndAwait(dst);

        // this machine → a stopped instance, through the route vastai asks first and the copy user's daemon
        var where = Http.put(
                server.api() + "/commands/rsync/",
                renter.key(),
                "{\"client_id\": \"me\", \"src_id\": \"local\", \"dst_id\": \"" + src
                        + "\", \"src_path\": \"/x\", \"dst_path\": \"/workspace/\"}");
        assertThat(where.status()).as(where.body()).isEqualTo(200);
        assertThat(where.json().get("dst_port").asInt()).isEqualTo(srcPort);
        Path extra = Files.createDirectories(dir.resolve("stopped-extra/more"));
        Files.writeString(extra.resolve("late.bin"), "written while stopped\n");
        var in = rsync(srcPort, extra.toString(), "vastai_kaalia@127.0.0.1::" + src + "//workspace/data/");
        assertThat(in.exitCode()).as(in.output()).isZero();
        var login = ssh.exec("127.0.0.1", srcPort, "echo logged-in-here");
        assertThat(login.exitCode()).as(login.output()).isNotZero();
        assertThat(login.output()).contains("is stopped").doesNotContain("logged-in-here");

        var started = Http.put(
                server.api() + "/commands/copy_direct/",
                renter.key(),
                "{\"client_id\": \"me\", \"src_id\": \"" + src + "\", \"dst_id\": \"" + dst
                        + "\", \"src_path\": \"/workspace/data/\", \"dst_path\": \"/root/received/\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(instance(dst).path("status_msg").asText())
                        .isEqualTo("copy from C." + src + " finished"));

        // a stopped instance → this machine
        Path back = Files.createDirectories(dir.resolve("stopped-back"));
        var got = rsync(dstPort, "vastai_kaalia@127.0.0.1::" + dst + "//root/received/", back + "/");
        assertThat(got.exitCode()).as(got.output()).isZero();
        Files.createDirectories(data.resolve("more"));
        Files.copy(extra.resolve("late.bin"), data.resolve("more/late.bin"));
        assertThat(CopyTrees.contents(back)).isEqualTo(CopyTrees.contents(data)).hasSize(7);
        assertThat(instance(src).path("actual_status").asText()).isEqualTo("stopped");
        assertThat(instance(dst).path("actual_status").asText()).isEqualTo("stopped");
        destroy(src, dst);
    }

    /** The audit log's entries for copy_direct so far (other tests in this class make such calls too). */
    static long copyDirectCalls() {
        long recorded = 0;
        for (var e : Http.get(server.api() + "/audit_logs/", renter.key()).json())
            if (e.get("api_route").asText().equals("/api/v0/commands/copy_direct/")) recorded++;
        return recorded;
    }

    static void destroy(long... ids) {
        for (long id : ids) Http.call("DELETE", server.api() + "/instances/" + id + "/", renter.key(), "{}");
    }

    /** Bytes under {@code dir} (rsync's hidden temporary file included); 0 while it does not exist. */
    static long received(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) return 0;
        try (var files = Files.walk(dir)) {
            long n = 0;
            for (Path p : files.toList()) if (Files.isRegularFile(p)) n += Files.size(p);
            return n;
        }
    }

    @Test
    void a_copy_canceled_mid_transfer_stops_arriving_and_the_destinations_status_says_so() throws Exception {
        long src = rentOn(machines.get(0));
        long dst = rentOn(machines.get(1));
        int srcPort = awaitRunning(src);
        awaitRunning(dst);
        // 3 GiB of zeros, made at once (sparse) and sent in full (rsync is not told --sparse): a copy that lasts
        long size = 3L << 30;
        var made = ssh.exec("127.0.0.1", srcPort, "mkdir -p /workspace/huge && truncate -s 3G /workspace/huge/zeros");
        assertThat(made.exitCode()).as(made.output()).isZero();
        var started = Http.put(
                server.api() + "/commands/copy_direct/",
                renter.key(),
                "{\"client_id\": \"me\", \"src_id\": \"" + src + "\", \"dst_id\": \"" + dst
                        + "\", \"src_path\": \"/workspace/huge/\", \"dst_path\": \"/root/huge/\"}");
        assertThat(started.status()).as(started.body()).isEqualTo(200);
        Path into = dir.resolve("agent-2/instances/" + dst + "/root/huge");
        await().atMost(Duration.ofSeconds(90)).until(() -> received(into) > 0);

        var cancel = Http.call(
                "DELETE",
                server.api() + "/commands/copy_direct/",
                renter.key(),
                "{\"client_id\": \"me\", \"dst_id\": \"" + dst + "\"}");
        assertThat(cancel.status()).as(cancel.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(instance(dst).path("status_msg").asText())
                        .isEqualTo("copy from C." + src + " canceled"));
        long kept = received(into);
        // nothing more arrives: the destination's rsync has ended and the source's door no longer takes the ticket
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> received(into) == kept);
        assertThat(kept).isLessThan(size);
        var again = Http.call(
                "DELETE",
                server.api() + "/commands/copy_direct/",
                renter.key(),
                "{\"client_id\": \"me\", \"dst_id\": \"" + dst + "\"}");
        assertThat(again.json().get("msg").asText()).isEqualTo("No copy into " + dst + " was going.");
        destroy(src, dst); // each machine has two GPUs for this class's tests
    }

    @Test
    void copy_direct_refuses_a_local_end_as_rsync_does_and_someone_elses_instance() {
        long mine = rentOn(machines.get(0));
        awaitRunning(mine);
        var local = Http.put(
                server.api() + "/commands/copy_direct/",
                renter.key(),
                "{\"src_id\": \"local\", \"dst_id\": \"" + mine + "\", \"src_path\": \"/a\", \"dst_path\": \"/b\"}");
        assertThat(local.status()).as(local.body()).isEqualTo(200);
        assertThat(local.json().get("dst_port").asInt())
                .isEqualTo(instance(mine).get("ssh_port").asInt());
        var stranger = server.newRenter(10);
        var foreign = Http.put(
                server.api() + "/commands/copy_direct/",
                stranger.key(),
                "{\"src_id\": \"" + mine + "\", \"dst_id\": \"" + mine
                        + "1\", \"src_path\": \"/a\", \"dst_path\": \"/b\"}");
        assertThat(foreign.status()).isEqualTo(404);
        Http.call("DELETE", server.api() + "/instances/" + mine + "/", renter.key(), "{}");
    }
}
