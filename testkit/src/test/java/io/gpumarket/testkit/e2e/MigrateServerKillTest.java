package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.PostgresCluster;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.Ssh;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import io.gpumarket.testkit.billing.Charges;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed ({@code kill -9}) in the middle of a move's copy, then started again on the same database and
 * port (docs/migrate.md, "How it runs": the loop drives every unfinished migration from what is stored, so a restart
 * resumes it where it was). The set-up of {@link MigrateSourceKillTest} — two real agents in their own JVMs, process
 * instances, files written over ssh — with the server as its own process, as an operator runs it, and kept down until
 * the pull has ended and could not tell it (the end is said again once it is back). Afterwards the
 * instance is whole on exactly one machine: its new one, every byte read back over ssh under the same id, nothing of
 * it left on the old one; and the renter's charges equal the independent recomputation of both placements' contracts
 * to the micro-dollar.
 */
class MigrateServerKillTest {
    /**
     * Big enough that the copy is still going when its first progress report shows (reports are 2 s apart: 300 MB
     * were once copied whole before the first); the rest of it is copied while the server is down.
     */
    private static final int BIG_MB = 1000;
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

    @BeforeAll
    static void start() throws Exception {
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
        return Http.get(api() + "/instances/migrate/" + id + "/", renterKey)
                .json()
                .get("migrations")
                .get(0);
    }

    static int awaitRunning(long id) {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> "running".equals(instance(id).path("actual_status").asText()));
        return instance(id).get("ssh_port").asInt();
    }

    static Path instanceDir(int agent, long id) {
        return dir.resolve("agent-" + (agent + 1)).resolve("instances").resolve(Long.toString(id));
    }

    @Test
    void a_server_killed_mid_copy_resumes_the_move_after_its_restart_and_the_books_stay_exact() throws Exception {
        var created = Http.put(
                api() + "/asks/" + offerOn(machines.get(0)) + "/",
                renterKey,
                "{\"image\": \"ubuntu:22.04\", \"disk\": 10, \"runtype\": \"ssh_direct\", \"onstart\": \"true\","
                        + " \"label\": \"moving\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        long x = created.json().get("new_contract").asLong();
        int door = awaitRunning(x);
        var wrote = ssh.exec(
                "127.0.0.1",
                door,
                "mkdir -p /workspace/data && echo 'weights v1' > /workspace/data/model.txt" + " && head -c " + BIG_MB
                        + "M /dev/urandom > /root/big.bin && sha256sum /root/big.bin");
        assertThat(wrote.exitCode()).as(wrote.output()).isZero();
        String sum = wrote.output().strip().split("\\s+")[0];
        assertThat(Http.put(api() + "/instances/" + x + "/", renterKey, "{\"state\": \"stopped\"}")
                        .status())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> "stopped".equals(instance(x).path("actual_status").asText()));

        var moved = Http.put(
                api() + "/instances/migrate/" + x + "/", renterKey, "{\"offer_id\": " + offerOn(machines.get(1)) + "}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(200);
        // the copy is under way: its progress shows in the instance's status message
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(instance(x).path("status_msg").asText())
                        .matches("moving to machine .*: copy from C\\." + x + ": \\d+% .*"));
        server.kill();
        assertThat(Files.exists(instanceDir(1, x)))
                .as("the pull has begun on the destination")
                .isTrue();
        // the server stays down until the pull has ended and could not say so: its end must be said again once the
        // server is back (without that, the move stayed copying until given up for silence)
        await().atMost(Duration.ofSeconds(120))
                .until(() -> Files.readString(agents.get(1).log()).contains("could not tell the server 'done'"));
        // the same database and port: the agents find it again where they left it
        server = ServerProcess.start(home, flags, port);

        // resumed (docs/migrate.md): the copy's end, reported to the new process, moves the contract and starts it
        await().atMost(Duration.ofSeconds(240)).untilAsserted(() -> {
            JsonNode m = lastMigration(x);
            assertThat(m.get("state").asText()).as(m.toString()).isNotEqualTo("rolled_back");
            assertThat(m.get("state").asText()).as(m.toString()).isEqualTo("done");
        });
        assertThat(instance(x).get("machine_id").asLong()).isEqualTo(machines.get(1));
        int newDoor = awaitRunning(x);
        var read = ssh.exec("127.0.0.1", newDoor, "cat /workspace/data/model.txt && sha256sum /root/big.bin");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).contains("weights v1", sum);
        // whole on exactly one machine: nothing of it left on the old one
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(instanceDir(0, x)));

        // the books, read once the server is stopped (SIGTERM) so that they hold still: what the renter was charged
        // equals the recomputation of both placements' contracts at the meter's watermark
        server.close();
        server = null;
        try (Store store = JdbcStore.open(StoreConfig.of(db))) {
            Instant watermark = store.repos().billing().chargedTo();
            assertThat(Charges.charged(store, renterId))
                    .as("charges at %s", watermark)
                    .isEqualTo(Charges.recomputed(store, x, UNKNOWN_AFTER, watermark))
                    .isPositive();
        }
    }
}
