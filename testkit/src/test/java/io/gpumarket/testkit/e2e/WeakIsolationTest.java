package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host that cannot isolate instances (here: pasta hidden from the agent by a private mount namespace, as if passt
 * were not installed) is not offered to strangers: the agent refuses to start, unless the operator passes
 * {@code --allow-weak-isolation}, when instances run on the host's network as the host's root.
 */
class WeakIsolationTest {
    /** Starts the agent's JVM with /usr/bin/pasta covered by /dev/null in its own mount namespace. */
    static final List<String> WITHOUT_PASTA = List.of(
            "unshare",
            "--mount",
            "--propagation",
            "private",
            "--",
            "/bin/sh",
            "-c",
            "mount --bind /dev/null /usr/bin/pasta && exec \"$@\"",
            "sh");

    @TempDir
    Path dir;

    @Test
    void an_agent_on_a_host_without_pasta_refuses_to_start_unless_weak_isolation_is_allowed() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/pasta")), "pasta is not installed at /usr/bin/pasta");
        try (TestServer server = TestServer.start()) {
            var host = server.newUser();
            int ports = AgentProcess.freePortBlock(20);
            var registered = host.client().registerMachine(TestMachines.machine("RTX 4090", 1, "Oslo, NO", ports));
            try (AgentProcess refused = new AgentProcess(
                            server.url(),
                            registered.machineToken(),
                            dir.resolve("refused"),
                            "1x RTX 4090",
                            ports,
                            ports + 19,
                            List.of(),
                            WITHOUT_PASTA)
                    .start()) {
                OptionalInt exit = refused.awaitExit(120);
                assertThat(exit).as("the agent ended by itself").isPresent();
                assertThat(exit.getAsInt()).isNotZero();
            }
        }

        try (LiveMarket weak = new LiveMarket(
                TestServer.start(),
                dir.resolve("weak"),
                1000,
                8,
                "\"price_gpu\": 0.3",
                null,
                List.of("--allow-weak-isolation"),
                WITHOUT_PASTA)) {
            long id = weak.rent("true");
            int port = weak.awaitRunning(id);
            var uidMap = weak.exec(port, "cat /proc/self/uid_map");
            assertThat(uidMap.output().trim().split("\\s+"))
                    .as("root inside is the host's root")
                    .containsExactly("0", "0", "4294967295");
        }
    }
}
