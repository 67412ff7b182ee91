package io.gpumarket.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An agent killed with SIGKILL leaves its instances running, and the next agent re-attaches to them. */
@Timeout(120)
class AgentRestartTest {
    private static final long ID = 77;

    Path state;
    ProcessLauncher launcher;
    SshFrontDoor door;

    @AfterEach
    void removeEverything() throws IOException {
        if (door != null) door.close();
        if (launcher != null) for (long id : launcher.known()) launcher.destroy(id);
        try (Stream<Path> all = Files.walk(state)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void an_agent_killed_with_sigkill_leaves_its_instance_running_and_the_next_one_recovers_it() throws Exception {
        state = Files.createTempDirectory("gpumarket-restart-test-");
        OpenSsh renter = OpenSsh.withNewKey(state.resolve("renter"), "ed25519");
        int port = OpenSsh.freePort();

        Process first = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        AgentProcess.class.getName(),
                        state.toString(),
                        Long.toString(ID),
                        Integer.toString(port),
                        renter.publicKey())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(first.getInputStream()));
        String ready = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        return null;
                    }
                })
                .get(60, TimeUnit.SECONDS);
        assertThat(ready).startsWith("ready ");
        long init = Long.parseLong(ready.substring("ready ".length()));
        assertThat(renter.ssh(port, "echo before > /root/before").exit()).isZero();

        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no goodbyes
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.of(init)).as("the instance outlived its agent").isPresent();

        launcher = new ProcessLauncher(state.resolve("instances"));
        door = new SshFrontDoor(state.resolve("ssh"), launcher);
        assertThat(launcher.known()).containsExactly(ID);
        assertThat(launcher.recover(AgentProcess.spec(ID, port))).isTrue();
        assertThat(launcher.initPid(ID)).hasValue(init);
        assertThat(launcher.inspect(ID).state()).isEqualTo(Inspection.State.RUNNING);
        door.open(ID, "127.0.0.1", port, List.of(renter.publicKey()));

        OpenSsh.Result after =
                renter.strictHostKeys().ssh(port, "cat /root/before; wc -l < /root/onstart-runs; pgrep -c -x sleep");
        assertThat(after.exit()).as(after.err()).isZero();
        assertThat(after.out())
                .as("same files, onstart ran once, its background process still there")
                .isEqualTo("before\n1\n2\n");
    }
}
