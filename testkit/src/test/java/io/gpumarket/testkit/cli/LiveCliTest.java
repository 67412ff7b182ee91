package io.gpumarket.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.api.Wire;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against a real server and a real agent in its own JVM, with real instances (sandboxed processes), the
 * system ssh and rsync: create → wait → ssh → copy a tree in and back byte for byte → copy between instances →
 * logs → stop/start → reboot → destroy, {@code wait} failing on an instance that exits, and {@code wait} on a
 * real terminal (a pty from {@code script}) against a pipe.
 */
class LiveCliTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static TestServer.Account renter;
    static AgentProcess agent;
    static Path agentState;
    static Path identity;
    static Cli cli;
    static long shared;

    @BeforeAll
    static void start() throws Exception {
        TestServer.Account host = server.newUser();
        renter = Rent.renter(server);
        Ssh ssh = Ssh.newIdentity(Files.createDirectories(dir.resolve("keys")));
        identity = dir.resolve("keys/id_ed25519");
        cli = Cli.of(server.url(), renter.key(), dir);
        var added = cli.run("create", "ssh-key", identity + ".pub");
        assertThat(added.code()).as(added.describe()).isZero();
        assertThat(ssh.publicKey()).isNotBlank();

        int ports = AgentProcess.freePortBlock(20);
        var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 8, "Oslo, NO", ports));
        Http.put(
                server.api() + "/machines/create_asks/",
                host.key(),
                "{\"machine\": " + registered.machineId() + ", \"price_gpu\": 0.3}");
        server.admin().adminSetMachine(registered.machineId(), Map.of("verification", "verified"));
        agentState = dir.resolve("agent");
        agent = new AgentProcess(server.url(), registered.machineToken(), agentState, "8x RTX 4090", ports, ports + 19)
                .start();
        shared = create(
                "--onstart-cmd",
                "echo hello > /root/hello.txt; for i in 1 2 3 4 5; do echo \"line $i keep\"; echo \"noise $i\"; done");
        assertThat(cli.run("wait", "instance", Long.toString(shared), "--timeout", "90")
                        .code())
                .isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        for (JsonNode i :
                Http.get(server.api() + "/instances/", renter.key()).json().get("instances")) {
            Http.call("DELETE", server.api() + "/instances/" + i.get("id").asLong() + "/", renter.key(), "{}");
        }
        agent.close();
        try (ProcessLauncher leftovers = new ProcessLauncher(agentState.resolve("instances"))) {
            leftovers.known().forEach(leftovers::destroy);
        }
    }

    /**
     * {@code create instance} on the cheapest verified RTX 4090 offer, found with {@code search offers}, as an ssh
     * launch unless the options hold {@code --args}; answers the id.
     */
    static long create(String... options) throws IOException {
        var search = cli.run("search", "offers", "gpu_name=RTX_4090 num_gpus=1", "-o", "dph+", "--limit", "1", "--raw");
        assertThat(search.code()).as(search.describe()).isZero();
        long offer = Wire.mapper().readTree(search.out()).get(0).get("id").asLong();
        List<String> args = new ArrayList<>(List.of(
                "create", "instance", Long.toString(offer), "--image", "ubuntu:22.04", "--disk", "10", "--raw"));
        // an args launch runs the image's command; --ssh would make it an ssh launch (vastai's runtype rules)
        if (!List.of(options).contains("--args")) args.addAll(List.of("--ssh", "--direct"));
        args.addAll(List.of(options));
        var created = cli.run(args.toArray(String[]::new));
        assertThat(created.code()).as(created.describe()).isZero();
        return Wire.mapper().readTree(created.out()).get("new_contract").asLong();
    }

    /** The ssh options of these tests: their own identity, no known_hosts (ports are reused between runs). */
    static List<String> sshOptions() {
        return List.of(
                "-i",
                identity.toString(),
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes");
    }

    static Cli.Result ssh(long id, String... command) {
        List<String> args = new ArrayList<>(List.of("ssh"));
        args.addAll(sshOptions());
        args.add(Long.toString(id));
        args.addAll(List.of(command));
        return cli.run(args.toArray(String[]::new));
    }

    static Cli.Result copy(String src, String dst) {
        List<String> args = new ArrayList<>(List.of("copy"));
        args.addAll(sshOptions());
        args.addAll(List.of(src, dst));
        return cli.run(args.toArray(String[]::new));
    }

    @Test
    void an_instance_created_with_the_cli_is_reached_with_ssh_as_root() {
        var hello = ssh(shared, "cat", "/root/hello.txt");
        assertThat(hello.code()).as(hello.describe()).isZero();
        assertThat(hello.out()).isEqualTo("hello\n");
        assertThat(ssh(shared, "whoami; exit 7").code()).isEqualTo(7);

        JsonNode shown = Rent.show(server, renter.key(), shared);
        String port = shown.get("ports").get("22/tcp").get(0).get("HostPort").asText();
        assertThat(cli.run("ssh-url", Long.toString(shared)).out()).isEqualTo("ssh://root@127.0.0.1:" + port + "\n");
    }

    @Test
    void copy_round_trips_a_directory_into_an_instance_and_back_byte_for_byte() throws Exception {
        Path data = tree(dir.resolve("upload/data"));
        var up = copy(data.toString(), shared + ":/workspace/");
        assertThat(up.code()).as(up.describe()).isZero();
        assertThat(up.out()).startsWith("copying " + data + " " + shared + ":/workspace/\n");
        var listed = ssh(shared, "cd /workspace/data && find . -type f | sort && sha256sum big.bin");
        assertThat(listed.out())
                .contains("./a/b/c/deep.txt", "./big.bin", "./with space.txt", sha256(data.resolve("big.bin")));

        Path back = dir.resolve("download");
        var down = copy("C." + shared + ":/workspace/data", "local:" + back);
        assertThat(down.code()).as(down.describe()).isZero();
        assertThat(hashes(back.resolve("data"))).isEqualTo(hashes(data)).hasSize(6);
    }

    @Test
    void copy_between_two_instances_is_done_by_their_agents_with_progress_in_the_destinations_status()
            throws Exception {
        long other = create();
        assertThat(cli.run("wait", "instance", Long.toString(other), "--timeout", "90")
                        .code())
                .isZero();
        Path data = tree(dir.resolve("between/data"));
        assertThat(copy(data + "/", shared + ":/workspace/between/").code()).isZero();

        var across = copy(shared + ":/workspace/between/", other + ":/root/received/");
        assertThat(across.code()).as(across.describe()).isZero();
        assertThat(across.out()).contains("Remote to Remote copy initiated");
        await().atMost(java.time.Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(Rent.show(server, renter.key(), other)
                                .path("status_msg")
                                .asText())
                        .isEqualTo("copy from C." + shared + " finished"));
        var there = ssh(other, "cd /root/received && sha256sum big.bin a/b/c/deep.txt");
        assertThat(there.out()).contains(sha256(data.resolve("big.bin")), sha256(data.resolve("a/b/c/deep.txt")));
        assertThat(cli.run("destroy", "instance", "-y", Long.toString(other)).code())
                .isZero();
    }

    @Test
    void copy_refuses_two_local_paths_and_unknown_instances() {
        var local = copy(dir.toString(), "local:" + dir.resolve("x"));
        assertThat(local.code()).isEqualTo(1);
        assertThat(local.err()).isEqualTo("error: one side of copy must be an instance (ID:/path)\n");
        var missing = copy(dir.toString(), "987654:/root/");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("Failed with error 404: Instance 987654 not found.\n");
    }

    @Test
    void logs_print_the_instances_output_tailed_and_filtered() {
        await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            var logs = cli.run("logs", Long.toString(shared), "--tail", "2", "--filter", "keep");
            assertThat(logs.code()).as(logs.describe()).isZero();
            assertThat(logs.out()).isEqualTo("line 4 keep\nline 5 keep\n");
        });
        var all = cli.run("logs", Long.toString(shared));
        assertThat(all.out()).contains("line 1 keep", "noise 3");
    }

    @Test
    void stop_keeps_the_files_and_start_brings_the_instance_back() {
        long id = Long.parseLong(Long.toString(createQuietly("--onstart-cmd", "echo kept > /root/kept.txt")));
        Cli.Result r = cli.run("wait", "instance", Long.toString(id), "--timeout", "90");
        assertThat(r.code()).as(r.describe()).isZero();

        assertThat(cli.run("stop", "instance", Long.toString(id)).code()).isZero();
        r = cli.run("wait", "instance", Long.toString(id), "--state", "stopped", "--timeout", "60");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(ssh(id, "true").code()).isNotZero();

        assertThat(cli.run("start", "instance", Long.toString(id)).code()).isZero();
        r = cli.run("wait", "instance", Long.toString(id), "--timeout", "60");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(ssh(id, "cat /root/kept.txt").out()).isEqualTo("kept\n");

        assertThat(cli.run("reboot", "instance", Long.toString(id)).code()).isZero();
        await().atMost(java.time.Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(ssh(id, "cat /root/kept.txt").out()).isEqualTo("kept\n"));

        var destroyed = cli.run("destroy", "instance", "-y", Long.toString(id));
        assertThat(destroyed.out()).isEqualTo("destroying instance " + id + ".\n");
        assertThat(ssh(id, "true").code()).isEqualTo(1);
        assertThat(cli.run("show", "instance", Long.toString(id)).code()).isEqualTo(1);
    }

    @Test
    void wait_shows_the_transitions_and_the_time_on_a_terminal_and_nothing_when_piped() {
        long id = createQuietly();
        var r = cli.onTerminal().run("wait", "instance", Long.toString(id), "--timeout", "60", "--interval", "0.2");
        assertThat(r.code()).as(r.describe()).isZero();
        assertThat(r.err())
                .containsPattern("\\d+\\.\\ds  instance " + id + ": ")
                .contains("instance " + id + ": running — reached");
        assertThat(r.out()).isEmpty();

        var piped = cli.run("wait", "instance", Long.toString(id));
        assertThat(piped.code()).isZero();
        assertThat(piped.out() + piped.err()).isEmpty();
        assertThat(cli.run("destroy", "instance", "-y", Long.toString(id)).code())
                .isZero();
    }

    @Test
    void wait_fails_on_an_instance_that_exited() {
        long id = exited();
        var running = cli.onTerminal().run("wait", "instance", Long.toString(id), "--timeout", "60");
        assertThat(running.code()).as(running.describe()).isEqualTo(1);
        assertThat(running.err()).contains("instance " + id + ": exited").contains("instance " + id + " is exited (");
        var stopped = cli.run("wait", "instance", Long.toString(id), "--state", "stopped");
        assertThat(stopped.code()).isEqualTo(1);
        assertThat(stopped.err())
                .startsWith("instance " + id + " is exited")
                .endsWith("it is not being stopped (gpumarket stop instance " + id + ")\n");
    }

    @Test
    void wait_detects_a_real_terminal_and_exits_non_zero_from_a_shell() throws Exception {
        long exits = exited();
        String java = ProcessHandle.current().info().command().orElse("java");
        String gpumarket = "'" + java + "' --enable-native-access=ALL-UNNAMED -cp '"
                + System.getProperty("java.class.path") + "' io.gpumarket.cli.Main";

        Process tty = shell(List.of("script", "-qec", gpumarket + " wait instance " + shared, "/dev/null"));
        String ttyOut = new String(tty.getInputStream().readAllBytes());
        assertThat(tty.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tty.exitValue()).as(ttyOut).isZero();
        assertThat(ttyOut).contains("instance " + shared + ": running — reached");

        Process pipe = shell(List.of("sh", "-c", gpumarket + " wait instance " + shared + " 2>&1 | cat"));
        String pipeOut = new String(pipe.getInputStream().readAllBytes());
        assertThat(pipe.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(pipeOut).isEmpty();

        Process failing = shell(
                List.of("sh", "-c", gpumarket + " wait instance " + exits + " > /dev/null 2>&1; echo \"exit=$?\""));
        String status = new String(failing.getInputStream().readAllBytes());
        assertThat(failing.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(status.trim()).isEqualTo("exit=1");
    }

    private static Long exitedInstance;

    /** An instance whose main process has exited (an args launch of {@code exit 3}). */
    static synchronized long exited() {
        if (exitedInstance == null) {
            long id = createQuietly("--args", "sh", "-c", "exit 3");
            await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
                JsonNode shown = Rent.show(server, renter.key(), id);
                assertThat(shown.path("actual_status").asText())
                        .as(shown.path("status_msg").asText())
                        .isEqualTo("exited");
            });
            exitedInstance = id;
        }
        return exitedInstance;
    }

    static long createQuietly(String... options) {
        try {
            return create(options);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Process shell(List<String> argv) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(argv)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("GPUMARKET_URL", server.url());
        pb.environment().put("GPUMARKET_API_KEY", renter.key());
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        return pb.start();
    }

    /** A tree to copy: a 10 MB random file, nested folders, a small file, a name with a space. */
    static Path tree(Path root) throws IOException {
        Random random = new Random(42);
        byte[] big = new byte[10 * 1024 * 1024];
        random.nextBytes(big);
        Files.createDirectories(root.resolve("a/b/c"));
        Files.createDirectories(root.resolve("x/y"));
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("a/b/c/deep.txt"), "deep inside\n");
        Files.writeString(root.resolve("a/top.txt"), "top\n");
        byte[] mid = new byte[123_457];
        random.nextBytes(mid);
        Files.write(root.resolve("x/y/mid.bin"), mid);
        Files.write(root.resolve("x/empty"), new byte[0]);
        Files.writeString(root.resolve("with space.txt"), "spaced\n");
        return root;
    }

    /** Relative path → sha256 of every file under {@code root}. */
    static Map<String, String> hashes(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.filter(Files::isRegularFile).toList())
                out.put(root.relativize(p).toString(), sha256(p));
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
