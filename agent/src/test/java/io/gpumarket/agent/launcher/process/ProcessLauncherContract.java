package io.gpumarket.agent.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.Inspection.State;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Sessions;
import io.gpumarket.agent.launcher.Sessions.Result;
import io.gpumarket.agent.launcher.TestSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What the process launcher promises, run against real namespaces, once per sandbox (isolated, bwrap, unshare). The state
 * directory lies under /var/tmp, a directory instances see (read-only), so that hiding the agent's state from
 * them is tested for real; it is removed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
abstract class ProcessLauncherContract {
    private static final AtomicLong IDS = new AtomicLong(1000);

    Path state;
    ProcessLauncher launcher;

    abstract SandboxKind sandbox();

    /** The effective capabilities of root inside, as /proc/self/status shows them. */
    String capEff() {
        return "0000000020040039";
    }

    @BeforeAll
    void createLauncher() throws IOException {
        state = Files.createTempDirectory(Path.of("/var/tmp"), "gpumarket-launcher-test-");
        Files.createDirectories(state.resolve("ssh"));
        Files.writeString(state.resolve("ssh/secret-host-key"), "not for renters");
        launcher = new ProcessLauncher(state.resolve("instances"), sandbox(), List.of());
        assertThat(launcher.sandbox()).isEqualTo(sandbox().name().toLowerCase());
    }

    @AfterAll
    void removeEverything() throws IOException {
        for (long id : launcher.known()) launcher.destroy(id);
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    long newId() {
        return IDS.incrementAndGet();
    }

    long started(InstanceSpec spec) throws LaunchException {
        launcher.start(spec);
        assertThat(launcher.inspect(spec.id()).state()).isEqualTo(State.RUNNING);
        return spec.id();
    }

    @Test
    void an_instance_runs_its_onstart_script_in_its_own_root() throws Exception {
        long id = started(TestSpecs.ssh(newId(), "echo started > /root/onstart-ran; hostname > /workspace/hostname"));

        Path root = launcher.instanceDir(id).resolve("root");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(root.resolve("onstart-ran")));
        assertThat(Files.readString(root.resolve("onstart-ran"))).isEqualTo("started\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(launcher.instanceDir(id).resolve("workspace/hostname")));
        assertThat(Files.readString(launcher.instanceDir(id).resolve("workspace/hostname"))
                        .strip())
                .isEqualTo("C." + id);
        Inspection running = launcher.inspect(id);
        assertThat(running.message())
                .isEqualTo("running as a sandboxed process (process launcher: image "
                        + "'pytorch/pytorch:latest' recorded, not pulled)");
        assertThat(running.startedAt()).isPositive();
        // the init logs onstart's end after its last file is written: on a loaded host that can take a moment
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() ->
                        assertThat(Files.readString(launcher.logFile(id))).contains("onstart: exited with code 0"));
    }

    @Test
    void the_instance_has_the_environment_vast_documents_in_onstart_and_in_sessions() throws Exception {
        long id = newId();
        // Host ports the isolated launcher really publishes (pasta binds them): free ones, never fixed numbers.
        int[] host = freePorts(3);
        InstanceSpec spec = new InstanceSpec(
                id,
                "img",
                List.of(
                        List.of("FOO", "bar baz"),
                        List.of("-p 8080:8080", "1"),
                        List.of("-e", "FROM_FLAG=yes"),
                        List.of("-h", "trainer"),
                        List.of("-v /data:/data", "1"),
                        List.of("bad name", "x")),
                "env > /root/onstart-env",
                List.of(),
                null,
                "ssh",
                10,
                host[0],
                Map.of("8080/tcp", host[1], "9000/udp", host[2]),
                "secret-api-key",
                "203.0.113.7");
        started(spec);

        Result env = Sessions.run(launcher, id, "env; echo cwd=$(pwd) host=$(hostname)");
        assertThat(env.out())
                .contains(
                        "CONTAINER_API_KEY=secret-api-key\n",
                        "CONTAINER_ID=" + id + "\n",
                        "VAST_CONTAINERLABEL=C." + id + "\n",
                        "VAST_TCP_PORT_22=" + host[0] + "\n",
                        "VAST_TCP_PORT_8080=" + host[1] + "\n",
                        "VAST_UDP_PORT_9000=" + host[2] + "\n",
                        "PUBLIC_IPADDR=203.0.113.7\n",
                        "HOME=/root\n",
                        "FOO=bar baz\n",
                        "FROM_FLAG=yes\n",
                        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n",
                        "cwd=/root host=trainer");
        Path onstartEnv = launcher.instanceDir(id).resolve("root/onstart-env");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(onstartEnv) && Files.size(onstartEnv) > 0);
        assertThat(Files.readString(onstartEnv))
                .contains("CONTAINER_API_KEY=secret-api-key\n", "VAST_TCP_PORT_22=" + host[0] + "\n");
        assertThat(Files.readString(launcher.logFile(id)))
                .contains("ignored Docker flag '-v /data:/data'", "ignored env entry 'bad name'");
    }

    @Test
    void two_instances_see_neither_each_others_files_nor_processes() throws Exception {
        long a = started(TestSpecs.ssh(newId(), "echo a > /root/secret-of-a; sleep 1000 &"));
        long b = started(TestSpecs.ssh(newId(), "echo b > /root/secret-of-b; sleep 2000 &"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(launcher.instanceDir(b).resolve("root/secret-of-b")));

        Path bFile = launcher.instanceDir(b).resolve("root/secret-of-b");
        Result files = Sessions.run(
                launcher, a, "ls -a /root; test -e " + bFile + " && echo B-VISIBLE; ls -A " + state + " | wc -l");
        assertThat(files.out()).contains("secret-of-a").doesNotContain("secret-of-b", "B-VISIBLE");
        assertThat(files.out().strip())
                .as("the agent's state directory is empty inside")
                .endsWith("\n0");
        Result processes =
                Sessions.run(launcher, a, "ps -eo args > /tmp/ps; ls /proc | grep -c '^[0-9]' >> /tmp/ps; cat /tmp/ps");
        assertThat(processes.out()).contains("sleep 1000").doesNotContain("sleep 2000");
        Result pid1 = Sessions.run(launcher, a, "cat /proc/1/cmdline | tr '\\0' ' '");
        assertThat(pid1.out()).isEqualTo("/bin/bash /run/gpumarket/init.sh ");
    }

    @Test
    void the_hosts_files_are_visible_read_only_and_the_instances_own_are_writable() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));

        Result r = Sessions.run(
                launcher,
                id,
                "touch /usr/gpumarket-test 2>&1; touch /etc/gpumarket-test 2>&1; "
                        + "touch /root/mine /workspace/mine /tmp/mine && echo writable; test -x /usr/bin/rsync -o -x /bin/bash && echo host-programs");
        assertThat(r.out()).contains("Read-only file system", "writable", "host-programs");
        assertThat(Path.of("/usr/gpumarket-test")).doesNotExist();
        assertThat(launcher.instanceDir(id).resolve("tmp/mine")).exists();
    }

    @Test
    void root_inside_can_neither_reach_the_kernels_switches_nor_read_the_hosts_secrets() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));

        Result r = Sessions.run(launcher, id, """
                for f in /proc/sysrq-trigger /proc/sys/kernel/hostname /proc/sys/vm/drop_caches /sys/kernel/uevent_helper \
                         /sys/fs/cgroup/cgroup.procs; do test -w "$f" && echo "writable: $f"; done
                test -s /etc/shadow && echo "readable: /etc/shadow"
                for k in /etc/ssh/ssh_host_*_key; do test -s "$k" && echo "readable: $k"; done
                grep CapEff /proc/self/status
                mount -t tmpfs x /mnt 2>/dev/null && echo "mounted"
                echo done""");
        assertThat(r.out())
                .doesNotContain("writable:", "readable:", "mounted")
                .contains("CapEff:\t" + capEff(), "done");
    }

    @Test
    void a_session_passes_the_commands_exit_status_back() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));

        assertThat(Sessions.run(launcher, id, "exit 7").exit()).isEqualTo(7);
        assertThat(Sessions.run(launcher, id, "true").exit()).isZero();
    }

    @Test
    void a_session_with_a_pty_gets_a_terminal_of_the_clients_size() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));

        Result r = Sessions.run(
                launcher,
                id,
                List.of("bash", "-c", "tty; stty size; echo term=$TERM"),
                Map.of("TERM", "xterm-256color", "COLUMNS", "120", "LINES", "40"),
                true);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("/dev/pts/", "40 120", "term=xterm-256color");
    }

    @Test
    void a_pty_sessions_terminal_can_be_resized_while_it_runs() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));
        Process p = launcher.exec(
                id,
                List.of("bash", "-c", "echo ready; read line; stty size"),
                Map.of("TERM", "xterm", "COLUMNS", "80", "LINES", "24"),
                true);
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> out.readLine().strip().equals("ready"));

        launcher.resizeTerminal(p, 132, 50);
        p.getOutputStream().write("go\n".getBytes());
        p.getOutputStream().flush();
        assertThat(out.lines().map(String::strip)).contains("50 132");
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void stopping_keeps_the_files_and_starting_again_resumes_with_them() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));
        long firstInit = launcher.initPid(id).orElseThrow();
        assertThat(Sessions.run(launcher, id, "echo kept > /workspace/data; sleep 1000 > /dev/null 2>&1 &")
                        .exit())
                .isZero();

        launcher.stop(id, Duration.ofSeconds(5));
        assertThat(launcher.inspect(id).state()).isEqualTo(State.STOPPED);
        assertThat(launcher.initPid(id)).isEmpty();
        assertThat(ProcessHandle.of(firstInit)).isEmpty();
        assertThat(launcher.instanceDir(id).resolve("workspace/data")).hasContent("kept");
        launcher.stop(id, Duration.ofSeconds(5)); // a second stop does nothing

        started(TestSpecs.ssh(id, null));
        assertThat(launcher.initPid(id).orElseThrow()).isNotEqualTo(firstInit);
        assertThat(Sessions.run(launcher, id, "cat /workspace/data").out()).isEqualTo("kept\n");
    }

    @Test
    void destroy_removes_the_instances_files() throws Exception {
        long id = started(TestSpecs.ssh(newId(), "echo x > /root/file"));
        Path dir = launcher.instanceDir(id);

        launcher.destroy(id);
        assertThat(dir).doesNotExist();
        assertThat(launcher.inspect(id).state()).isEqualTo(State.ABSENT);
        assertThat(launcher.known()).doesNotContain(id);
        assertThatCode(() -> launcher.destroy(id)).doesNotThrowAnyException();
    }

    @Test
    void a_start_whose_command_is_missing_is_reported_as_exited_with_a_plain_message() throws Exception {
        long id = newId();
        assertThatCode(() -> launcher.start(TestSpecs.args(id, List.of("no-such-command-anywhere"), null)))
                .doesNotThrowAnyException();

        await().atMost(Duration.ofSeconds(10)).until(() -> launcher.inspect(id).state() == State.EXITED);
        Inspection exited = launcher.inspect(id);
        assertThat(exited.exitCode()).isEqualTo(127);
        assertThat(exited.message())
                .startsWith("exited with code 127 (command not found)")
                .contains("no-such-command-anywhere: command not found");
    }

    @Test
    void an_args_instance_runs_its_main_process_and_exits_with_it() throws Exception {
        long id = newId();
        launcher.start(TestSpecs.args(id, List.of(), "echo main-ran-as-$(hostname); exit 3"));

        await().atMost(Duration.ofSeconds(10)).until(() -> launcher.inspect(id).state() == State.EXITED);
        assertThat(launcher.inspect(id).exitCode()).isEqualTo(3);
        assertThat(Files.readString(launcher.logFile(id))).contains("main-ran-as-C." + id);
    }

    @Test
    void an_args_instance_with_onstart_runs_onstart_as_the_entrypoint_with_the_args_appended() throws Exception {
        // dstack's create body: runtype args, onstart "/bin/sh", args ["-c", script].
        long id = newId();
        launcher.start(
                TestSpecs.entrypoint(id, "/bin/sh", List.of("-c", "echo entry-ran-with-$0 > /root/entry; exit 4")));

        await().atMost(Duration.ofSeconds(10)).until(() -> launcher.inspect(id).state() == State.EXITED);
        assertThat(launcher.inspect(id).exitCode()).isEqualTo(4);
        assertThat(Files.readString(launcher.instanceDir(id).resolve("root/entry")))
                .isEqualTo("entry-ran-with-/bin/sh\n");
    }

    @Test
    void a_new_launcher_over_the_same_state_recovers_a_running_instance_without_restarting_it() throws Exception {
        InstanceSpec spec = TestSpecs.ssh(newId(), "echo once >> /root/starts");
        long id = started(spec);
        long init = launcher.initPid(id).orElseThrow();
        // onstart runs beside the instance's main process, so its file appears some time after start returns
        Path starts = launcher.instanceDir(id).resolve("root/starts");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Files.exists(starts) && Files.readString(starts).equals("once\n"));

        ProcessLauncher afterRestart = new ProcessLauncher(state.resolve("instances"), sandbox(), List.of());
        assertThat(afterRestart.known()).contains(id);
        assertThat(afterRestart.recover(spec)).isTrue();
        assertThat(afterRestart.initPid(id)).hasValue(init);
        assertThat(Sessions.run(afterRestart, id, "cat /root/starts").out()).isEqualTo("once\n");
        assertThat(afterRestart.inspect(id).state()).isEqualTo(State.RUNNING);

        afterRestart.stop(id, Duration.ZERO);
        assertThat(launcher.recover(spec))
                .as("a stopped instance is not recovered")
                .isFalse();
    }

    @Test
    void an_instance_with_plain_directories_has_its_disk_use_measured_and_use_beyond_the_rented_disk_reported()
            throws Exception {
        long id = newId();
        InstanceSpec tiny = new InstanceSpec(
                id, "img", List.of(), null, List.of(), null, "ssh", 0.0001, 0, Map.of(), "k", "127.0.0.1");
        // Made by an agent that had no disk image to give: it keeps plain directories, measured instead of enforced.
        Files.createDirectories(launcher.instanceDir(id).resolve("root"));
        launcher.start(tiny); // no inspect before the write: usage is measured at most every few seconds
        assertThat(Sessions.run(launcher, id, "head -c 300000 /dev/zero > /workspace/blob")
                        .exit())
                .isZero();

        Inspection i = launcher.inspect(id);
        assertThat(i.diskBytes()).isGreaterThanOrEqualTo(300_000);
        assertThat(i.message()).contains("exceeds the rented 0.00 GB");
        assertThat(i.cpuSeconds()).isGreaterThanOrEqualTo(0);
    }

    /** {@code count} distinct ports free on this host now (each held open until all are found, then released). */
    static int[] freePorts(int count) throws IOException {
        java.net.ServerSocket[] held = new java.net.ServerSocket[count];
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                held[i] = new java.net.ServerSocket(0);
                ports[i] = held[i].getLocalPort();
            }
            return ports;
        } finally {
            for (java.net.ServerSocket s : held) if (s != null) s.close();
        }
    }
}
