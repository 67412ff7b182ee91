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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed ({@code kill -9}) in {@code starting}: after the contract moved to the destination, before the
 * destination reports the instance running (docs/migrate.md). The set-up of {@link MigrateServerKillTest}: two real
 * agents in their own JVMs, process instances, files written over ssh, the server its own process, killed mid-copy and
 * kept down until the pull has ended and could not say so. To hold the move in {@code starting} without a race, the
 * destination's agent is then frozen (SIGSTOP): it can neither say the end again nor hear that it should start the
 * instance, so the test says the end for it, with its machine's token, as it would have; the server, back, moves the
 * contract and is killed again with the move {@code starting}. The agent goes on, the server comes back on the same
 * database and port, and the move ends {@code done}: the instance whole on exactly one machine, its new one, every
 * byte read back over ssh under the same id, nothing of it left on the old one, and the renter's charges equal to the
 * independent recomputation of both placements' contracts to the micro-dollar.
 */
class MigrateServerKillStartingTest {
    /**
     * Big enough that the copy is still going when its first progress report shows (reports are 2 s apart: 300 MB
     * were once copied whole before the first); the rest of it is copied while the server is down.
     */
    private static final int BIG_MB = 1000;

    static final Duration UNKNOWN_AFTER = MigrateServerKillTest.UNKNOWN_AFTER;

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
    void a_server_killed_after_the_contract_moved_before_the_destination_ran_it_ends_the_move_done_and_exact()
            throws Exception {
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
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(instance(x).path("status_msg").asText())
                        .matches("moving to machine .*: copy from C\\." + x + ": \\d+% .*"));
        // down mid-copy: the pull ends and cannot say so
        server.kill();
        Pattern unheard = Pattern.compile("copy (\\d+): could not tell the server 'done'");
        await().atMost(Duration.ofSeconds(120))
                .until(() ->
                        unheard.matcher(Files.readString(agents.get(1).log())).find());
        Matcher m = unheard.matcher(Files.readString(agents.get(1).log()));
        assertThat(m.find()).isTrue();
        long copy = Long.parseLong(m.group(1));

        // the destination's agent frozen: from here on it neither says the end again nor hears its desired state
        agents.get(1).pause();
        server = ServerProcess.start(home, flags, port);
        assertThat(lastMigration(x).get("state").asText()).isEqualTo("copying");
        // the end it would say again, said for it with its machine's token
        var end = Http.put(
                api() + "/agent/copies/" + copy + "/",
                tokens.get(1),
                "{\"state\": \"done\", \"msg\": \"copy from C." + x + " finished\"}");
        assertThat(end.status()).as(end.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(lastMigration(x).get("state").asText()).isEqualTo("starting"));
        assertThat(instance(x).get("machine_id").asLong())
                .as("the contract moved")
                .isEqualTo(machines.get(1));

        // killed in starting: the contract on the destination, which has not run it (its agent is frozen)
        server.kill();
        agents.get(1).resume();
        server = ServerProcess.start(home, flags, port);

        await().atMost(Duration.ofSeconds(240)).untilAsserted(() -> {
            JsonNode mig = lastMigration(x);
            assertThat(mig.get("state").asText()).as(mig.toString()).isNotEqualTo("rolled_back");
            assertThat(mig.get("state").asText()).as(mig.toString()).isEqualTo("done");
        });
        assertThat(instance(x).get("machine_id").asLong()).isEqualTo(machines.get(1));
        int newDoor = awaitRunning(x);
        var read = ssh.exec("127.0.0.1", newDoor, "cat /workspace/data/model.txt && sha256sum /root/big.bin");
        assertThat(read.exitCode()).as(read.output()).isZero();
        assertThat(read.output()).contains("weights v1", sum);
        // whole on exactly one machine: nothing of it left on the old one
        await().atMost(Duration.ofSeconds(60)).until(() -> !Files.exists(instanceDir(0, x)));
        assertThat(Files.exists(instanceDir(1, x))).isTrue();

        // the books, read once the server is stopped (SIGTERM) so that they hold still
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
