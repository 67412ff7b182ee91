package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.PostgresCluster;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The market of the server kill tests of a move ({@link MigrateServerKillTest}, {@link MigrateServerKillStartingTest}):
 * the server as its own process (as an operator runs it, so that it can be killed and started again on the same
 * database and port), a renter with an ssh key, and two one-GPU machines whose real agents run in their own JVMs with
 * the process launcher. Each test class gets its own (JUnit runs the inherited {@code @BeforeAll} per class).
 */
abstract class ServerKillFixture {
    /**
     * Big enough that the copy is still going when its first progress report shows (reports are 2 s apart: 300 MB
     * were once copied whole before the first); the rest of it is copied while the server is down.
     */
    static final int BIG_MB = 1000;

    /** The server's default: three missed 10 s heartbeats (AgentTimings.defaults). */
    static final Duration UNKNOWN_AFTER = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    static Path home;
    static String db;
    static List<String> flags;
    static int port;
    static ServerProcess server;
    static String renterKey;
    static long renterId;
    static Ssh ssh;
    static final List<AgentProcess> agents = new ArrayList<>();
    static final List<Long> machines = new ArrayList<>();
    static final List<String> tokens = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        agents.clear();
        machines.clear();
        tokens.clear();
        home = Files.createDirectories(dir.resolve("server"));
        db = "postgresql".equals(TestServer.backend())
                ? PostgresCluster.get().newDatabase()
                : "jdbc:sqlite:" + home.resolve("gpumarket.db").toAbsolutePath();
        flags = List.of("--db", db);
        server = ServerProcess.start(home, flags);
        port = URI.create(server.url()).getPort();
        GpuMarketClient admin = new GpuMarketClient(server.url(), server.adminKey());
        Map<String, Object> renter = admin.adminCreateUser("renter@test.local", null, false);
        renterKey = (String) renter.get("api_key");
        renterId = ((Number) ((Map<?, ?>) renter.get("user")).get("id")).longValue();
        admin.adminAddCredit(renterId, 1000, "test credit", null);
        ssh = Ssh.newIdentity(Files.createDirectories(dir.resolve("keys")));
        assertThat(Http.post(api() + "/ssh/", renterKey, "{\"ssh_key\": \"" + ssh.publicKey() + "\"}")
                        .status())
                .isEqualTo(200);
        String hostKey =
                (String) admin.adminCreateUser("host@test.local", null, false).get("api_key");
        GpuMarketClient host = new GpuMarketClient(server.url(), hostKey);
        for (String place : List.of("Oslo, NO", "Lima, PE")) {
            int ports = AgentProcess.freePortBlock(20);
            var registered = host.registerMachine(TestMachines.machine("RTX 4090", 1, place, ports));
            Http.put(
                    api() + "/machines/create_asks/",
                    hostKey,
                    "{\"machine\": " + registered.machineId() + ", \"price_gpu\": 0.3, \"min_bid\": 0.1}");
            machines.add(registered.machineId());
            tokens.add(registered.machineToken());
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
        // the agents first (what they started is theirs to leave behind), then whatever they left
        for (int n = 0; n < agents.size(); n++) {
            agents.get(n).close();
            try (ProcessLauncher leftovers =
                    new ProcessLauncher(dir.resolve("agent-" + (n + 1)).resolve("instances"))) {
                leftovers.known().forEach(leftovers::destroy);
            }
        }
        if (server != null) server.kill();
    }

    /** The same address before and after the restart: the server comes back on its port. */
    static String api() {
        return "http://127.0.0.1:" + port + "/api/v0";
    }

    static long offerOn(long machine) {
        String q = "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}";
        return Http.post(api() + "/bundles/", renterKey, q)
                .json()
                .get("offers")
                .get(0)
                .get("id")
                .asLong();
    }

    static JsonNode instance(long id) {
        return Http.get(api() + "/instances/" + id + "/", renterKey).json().get("instances");
    }

    static JsonNode lastMigration(long id) {
        return Moves.latest(api(), renterKey, id);
    }

    static int awaitRunning(long id) {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> "running".equals(instance(id).path("actual_status").asText()));
        return instance(id).get("ssh_port").asInt();
    }

    static Path instanceDir(int agent, long id) {
        return dir.resolve("agent-" + (agent + 1)).resolve("instances").resolve(Long.toString(id));
    }
}
