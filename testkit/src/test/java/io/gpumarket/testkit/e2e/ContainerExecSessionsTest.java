package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.launcher.docker.EngineClient;
import io.gpumarket.testkit.ContainerEngine;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exec sessions of container instances end and leave nothing of the engine's behind (issue 24): Podman runs a
 * {@code conmon} per exec session, which, left to itself, lingers five minutes after the session and outlives a
 * removed container. Counted here from {@code /proc}: every process whose command line names the container's
 * full id (conmon, and Podman's clean-up runs while they last), whatever the agent thinks it did.
 */
class ContainerExecSessionsTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = server.closesWith(new LiveMarket(server, dir, ContainerEngine.require()));
    }

    @Test
    void ssh_commands_transfers_and_killed_shells_leave_no_engine_processes_and_destroy_leaves_none_at_all()
            throws Exception {
        long id = market.rent("");
        int port = market.awaitRunning(id);
        String container = new EngineClient(market.engine.dockerHost())
                .get("/containers/" + market.containers().name(id) + "/json")
                .json()
                .path("Id")
                .asText();
        assertThat(container).hasSize(64);
        // The container's own conmon, and nothing of any exec yet.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> HostProcesses.engineHelpers(container).size() == 1);
        long mark = 40_000 + id % 10_000; // sleep durations no other test's processes use

        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                work.add(pool.submit(() -> {
                    var r = market.exec(port, "echo hi " + n);
                    assertThat(r.exitCode()).as(r.output()).isZero();
                    assertThat(r.output()).isEqualTo("hi " + n + "\n");
                }));
            }
            Path up = Files.createDirectories(dir.resolve("up"));
            Files.write(up.resolve("blob"), new byte[256 * 1024]);
            for (int i = 0; i < 10; i++) {
                int n = i;
                work.add(pool.submit(() -> transfer(port, up, n)));
            }
            for (Future<?> f : work) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        // Five interactive shells, each running a foreground program and a background job, their clients killed.
        for (int i = 0; i < 5; i++) killedShell(port, mark + i);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(HostProcesses.engineHelpers(container))
                    .as("engine processes for the container after the work")
                    .hasSize(1);
            assertThat(Files.readAllLines(market.agentState.resolve("exec-sessions"))
                            .getFirst())
                    .endsWith(": 0");
            // The hung-up sessions' foreground programs ended; what was put in the background on purpose lives on.
            for (int i = 0; i < 5; i++) {
                assertThat(HostProcesses.matching("sleep " + (mark + i)))
                        .as("foreground program of killed shell " + i)
                        .isEmpty();
            }
        });
        for (int i = 0; i < 5; i++)
            assertThat(HostProcesses.matching("sleep " + (mark + 100 + i)))
                    .as("background job of shell " + i)
                    .hasSize(1);
        var files = market.exec(port, "cat /root/scp-0 /root/rsync-0/blob | wc -c");
        assertThat(files.output().trim()).isEqualTo(Integer.toString(2 * 256 * 1024));

        var destroyed = Http.call("DELETE", market.server.api() + "/instances/" + id + "/", market.renter.key(), "{}");
        assertThat(destroyed.status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(HostProcesses.engineHelpers(container))
                    .as("engine processes for the container after destroy")
                    .isEmpty();
            assertThat(HostProcesses.matching("sleep " + (mark + 100))).isEmpty();
        });
    }

    /** One scp upload and one rsync upload (each its own SSH session, rsync two execs on the far side). */
    private static void transfer(int port, Path up, int n) {
        List<String> o = market.ssh.options();
        List<String> scp = new ArrayList<>(List.of("scp", "-q", "-P", Integer.toString(port)));
        scp.addAll(o);
        scp.addAll(List.of(up.resolve("blob").toString(), "root@127.0.0.1:/root/scp-" + n));
        var s = market.ssh.tool(scp);
        assertThat(s.exitCode()).as(s.output()).isZero();
        String rsh = "ssh -p " + port + " " + String.join(" ", o);
        var r = market.ssh.tool(List.of("rsync", "-a", "-e", rsh, up + "/", "root@127.0.0.1:/root/rsync-" + n + "/"));
        assertThat(r.exitCode()).as(r.output()).isZero();
    }

    /**
     * An interactive shell (with a terminal) that starts a background job immune to hangups and a foreground program, and
     * whose ssh client is then killed with SIGKILL while the program runs: the client vanishes mid-session.
     */
    private static void killedShell(int port, long seconds) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ssh", "-tt", "-p", Integer.toString(port)));
        argv.addAll(market.ssh.options());
        argv.add("root@127.0.0.1");
        Process client = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try {
            OutputStream in = client.getOutputStream();
            // $((…)) so the marker is only in the shell's answer, not in the terminal's echo of the typed line
            // the background job ignores SIGHUP as nohup would have it (the test image's busybox has no nohup)
            in.write(("(trap '' HUP; exec sleep " + (seconds + 100) + ") >/dev/null 2>&1 &\necho ready-$((" + seconds
                            + "+1))\nsleep " + seconds + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            in.flush();
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            String marker = "ready-" + (seconds + 1);
            for (String line = out.readLine(); line != null && !line.contains(marker); line = out.readLine()) {
                // the banner, prompts and echoes
            }
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> HostProcesses.matching("sleep " + seconds).size() == 1);
        } finally {
            client.destroyForcibly();
            client.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
