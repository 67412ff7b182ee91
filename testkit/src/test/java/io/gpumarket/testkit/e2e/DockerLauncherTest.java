package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.docker.DockerLauncher;
import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.testkit.ContainerEngine;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container launcher's verbs against a real engine (Podman's Docker-compatible API), without a server. */
class DockerLauncherTest {
    @TempDir
    Path state;

    ContainerEngine engine;
    DockerLauncher launcher;
    final List<String> progress = new ArrayList<>();

    @BeforeEach
    void start() {
        engine = ContainerEngine.require();
        launcher = newLauncher();
    }

    @AfterEach
    void clean() {
        if (launcher != null) launcher.removeAll();
    }

    private DockerLauncher newLauncher() {
        return new DockerLauncher(
                new EngineClient(engine.dockerHost()), state, new DockerLauncher.Host(2, 2000, 2, false, "127.0.0.1"));
    }

    private InstanceSpec ssh(long id, String onstart) {
        return new InstanceSpec(
                id,
                engine.image(),
                List.of(List.of("GREETING", "hi there")),
                onstart,
                List.of(),
                null,
                "ssh",
                10,
                0,
                Map.of(),
                "key-" + id,
                "127.0.0.1",
                1);
    }

    private InstanceSpec args(long id, String onstart, List<String> args) {
        return new InstanceSpec(
                id,
                engine.image(),
                List.of(),
                onstart,
                args,
                null,
                "args",
                10,
                0,
                Map.of(),
                "key-" + id,
                "127.0.0.1",
                1);
    }

    private static String run(Process p, String stdin) throws Exception {
        try (OutputStream in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    @Test
    void a_session_gets_stdin_to_its_end_stdout_stderr_apart_and_the_exit_status() throws Exception {
        launcher.start(ssh(101, ""), progress::add);
        Process p = launcher.exec(
                101,
                List.of("bash", "-c", "cat > /root/in.txt; cat /root/in.txt; echo oops >&2; exit 5"),
                Map.of(),
                false);
        assertThat(run(p, "from stdin\n")).isEqualTo("from stdin\n");
        assertThat(p.exitValue()).isEqualTo(5);
        Process e = launcher.exec(101, List.of("bash", "-c", "echo to-stderr >&2"), Map.of(), false);
        e.getOutputStream().close();
        assertThat(new String(e.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("to-stderr\n");
        assertThat(e.waitFor()).isZero();
    }

    @Test
    void ended_sessions_leave_no_engine_process_a_hung_up_shell_ends_and_destroy_leaves_none_at_all() throws Exception {
        launcher.start(ssh(113, ""), progress::add);
        String container = new EngineClient(engine.dockerHost())
                .get("/containers/" + launcher.name(113) + "/json")
                .json()
                .path("Id")
                .asText();
        for (int i = 0; i < 3; i++) {
            assertThat(run(launcher.exec(113, List.of("bash", "-c", "echo " + i), Map.of(), false), ""))
                    .isEqualTo(i + "\n");
        }
        // Released once ended (exit code read, the engine's helpers gone), a moment after the caller saw the end.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(launcher.openSessions()).hasValue(0);
            assertThat(HostProcesses.engineHelpers(container))
                    .as("only the container's own conmon")
                    .hasSize(1);
        });
        // An interactive shell (bash/sh ignore SIGTERM then) running a foreground program, hung up on.
        Process shell = launcher.exec(113, List.of("bash", "-l"), Map.of("TERM", "xterm"), true);
        shell.getOutputStream().write("sleep 31113\n".getBytes(StandardCharsets.UTF_8));
        shell.getOutputStream().flush();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> HostProcesses.matching("sleep 31113").size() == 1);
        assertThat(launcher.openSessions()).hasValue(1);
        shell.destroy();
        assertThat(shell.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(HostProcesses.engineHelpers(container))
                    .as("only the container's own conmon")
                    .hasSize(1);
            assertThat(launcher.openSessions()).hasValue(0);
            assertThat(HostProcesses.matching("sleep 31113")).isEmpty();
        });
        launcher.destroy(113);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () -> assertThat(HostProcesses.engineHelpers(container)).isEmpty());
    }

    @Test
    void a_pty_session_has_a_terminal_of_the_clients_size() throws Exception {
        launcher.start(ssh(102, ""), progress::add);
        Process p = launcher.exec(
                102,
                List.of("bash", "-c", "tty; stty size"),
                Map.of("COLUMNS", "100", "LINES", "30", "TERM", "xterm"),
                true);
        String out = run(p, "");
        assertThat(out).contains("/dev/pts/").contains("30 100");
    }

    @Test
    void sessions_see_the_renters_environment_and_start_in_root() throws Exception {
        launcher.start(ssh(103, ""), progress::add);
        Process p = launcher.exec(
                103,
                List.of("bash", "-c", "echo \"$GREETING|$CONTAINER_API_KEY|$(pwd)|$EXTRA\""),
                Map.of("EXTRA", "x"),
                false);
        assertThat(run(p, "").trim()).isEqualTo("hi there|key-103|/root|x");
    }

    @Test
    void shm_size_from_the_renters_env_sizes_the_containers_dev_shm() throws Exception {
        launcher.start(
                new InstanceSpec(
                        112,
                        engine.image(),
                        List.of(List.of("--shm-size", "256m")),
                        "",
                        List.of(),
                        null,
                        "ssh",
                        10,
                        0,
                        Map.of(),
                        "key-112",
                        "127.0.0.1",
                        1),
                progress::add);
        String df = run(launcher.exec(112, List.of("bash", "-c", "df -k /dev/shm | tail -1"), Map.of(), false), "");
        assertThat(df).contains(" 262144 ");
    }

    @Test
    void the_agents_sftp_server_runs_inside_an_image_that_has_none() throws Exception {
        launcher.start(ssh(104, ""), progress::add);
        assertThat(launcher.sftpCommand()).isNotEmpty();
        List<String> probe = new ArrayList<>(launcher.sftpCommand());
        probe.add("-h");
        Process p = launcher.exec(104, probe, Map.of(), false);
        p.getOutputStream().close();
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("usage: sftp-server");
    }

    @Test
    void a_stopped_container_keeps_its_files_and_starts_again() throws Exception {
        launcher.start(ssh(105, "echo run >> /root/runs"), progress::add);
        launcher.stop(105, Duration.ofSeconds(5));
        assertThat(launcher.inspect(105).state()).isEqualTo(Inspection.State.STOPPED);
        launcher.start(ssh(105, "echo run >> /root/runs"), progress::add);
        assertThat(launcher.inspect(105).state()).isEqualTo(Inspection.State.RUNNING);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(
                                run(launcher.exec(105, List.of("bash", "-c", "cat /root/runs"), Map.of(), false), ""))
                        .isEqualTo("run\nrun\n"));
    }

    @Test
    void
            an_args_instance_runs_onstart_as_its_entrypoint_with_the_args_and_ends_as_an_exit_with_its_code_and_last_output() {
        // dstack's body: onstart is the entrypoint, args its arguments.
        assertThatNoException(() -> launcher.start(
                args(106, "/bin/sh", List.of("-c", "echo onstart-first; echo bye; exit 3")), progress::add));
        await().atMost(Duration.ofSeconds(20)).until(() -> launcher.inspect(106).state() == Inspection.State.EXITED);
        Inspection exited = launcher.inspect(106);
        assertThat(exited.exitCode()).isEqualTo(3);
        assertThat(exited.message()).startsWith("exited with code 3").contains("last output: bye");
        assertThat(new String(logs(106), StandardCharsets.UTF_8)).isEqualTo("onstart-first\nbye\n");
    }

    @Test
    void a_restarted_launcher_finds_running_containers_by_their_labels() throws Exception {
        launcher.start(ssh(107, ""), progress::add);
        long startedAt = launcher.inspect(107).startedAt();
        DockerLauncher next = newLauncher();
        assertThat(next.known()).containsExactly(107L);
        assertThat(next.recover(ssh(107, ""))).isTrue();
        assertThat(next.inspect(107).startedAt()).isEqualTo(startedAt);
        // Another agent on the same engine does not see them.
        DockerLauncher other = new DockerLauncher(
                new EngineClient(engine.dockerHost()),
                state.resolve("other"),
                new DockerLauncher.Host(2, 2000, 2, false, "127.0.0.1"));
        assertThat(other.known()).isEmpty();
    }

    @Test
    void a_container_of_an_earlier_contract_is_never_given_to_a_new_one() throws Exception {
        launcher.start(ssh(108, ""), progress::add);
        InstanceSpec newContract = new InstanceSpec(
                108,
                engine.image(),
                List.of(),
                "",
                List.of(),
                null,
                "ssh",
                10,
                0,
                Map.of(),
                "another-key",
                "127.0.0.1",
                1);
        assertThatThrownBy(() -> launcher.start(newContract))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("earlier contract");
    }

    @Test
    void a_missing_image_fails_the_start_naming_it() {
        String missing = "localhost/gpumarket-missing:1";
        assertThatThrownBy(() -> launcher.start(
                        new InstanceSpec(
                                109,
                                missing,
                                List.of(),
                                "",
                                List.of(),
                                null,
                                "ssh",
                                10,
                                0,
                                Map.of(),
                                "k",
                                "127.0.0.1",
                                1),
                        progress::add))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining(missing);
        assertThat(progress).anyMatch(m -> m.startsWith("pulling image " + missing));
        assertThat(launcher.inspect(109).state()).isEqualTo(Inspection.State.ABSENT);
    }

    @Test
    void a_command_the_image_lacks_fails_the_start_with_the_engines_reason() {
        assertThatThrownBy(() -> launcher.start(args(110, "", List.of("/no/such/program")), progress::add))
                .isInstanceOf(LaunchException.class)
                .hasMessageContaining("/no/such/program");
        assertThat(launcher.inspect(110).state()).isNotEqualTo(Inspection.State.RUNNING);
    }

    @Test
    void disk_use_beyond_the_rented_disk_is_reported_in_the_status_message() throws Exception {
        InstanceSpec tiny = new InstanceSpec(
                111,
                engine.image(),
                List.of(),
                "",
                List.of(),
                null,
                "ssh",
                0.001,
                0,
                Map.of(),
                "key-111",
                "127.0.0.1",
                1);
        launcher.start(tiny, progress::add);
        assertThat(launcher.inspect(111).message()).doesNotContain("exceeds");
        run(launcher.exec(111, List.of("bash", "-c", "head -c 3000000 /dev/zero > /root/big"), Map.of(), false), "");
        DockerLauncher fresh = newLauncher(); // its size cache is empty
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(fresh.inspect(111).message()).contains("exceeds the rented 0.00 GB"));
        assertThat(fresh.inspect(111).diskBytes()).isGreaterThanOrEqualTo(3_000_000L);
    }

    private byte[] logs(long id) {
        try {
            return launcher.logs(id);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertThatNoException(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
        org.assertj.core.api.Assertions.assertThatNoException().isThrownBy(c);
    }
}
