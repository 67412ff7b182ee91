package io.gpumarket.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.TestMachines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gpumarket admin backup} while renters rent and move credit, then {@code admin restore} into a fresh home: the
 * restored database passes the ledger's own check, holds every dollar (no transfer half-copied), and serves.
 */
class BackupRestoreTest {
    @TempDir
    Path home;

    @TempDir
    Path restoredHome;

    @Test
    void a_backup_taken_under_writes_restores_to_a_consistent_database_a_server_starts_on() throws Exception {
        Path backup = home.resolve("market-backup.db");
        String db = "jdbc:sqlite:" + home.resolve("gpumarket.db");
        String restoredDb = "jdbc:sqlite:" + restoredHome.resolve("gpumarket.db");
        String adminKey;
        // no metering loop: rented instances are not charged, so the renters' credit is moved, never spent
        try (ServerProcess server = ServerProcess.start(home, List.of("--meter-interval", "0"))) {
            adminKey = server.adminKey();
            GpuMarketClient admin = new GpuMarketClient(server.url(), adminKey);
            String host = key(admin.adminCreateUser("host@test.local", null, false));
            String alice = key(admin.adminCreateUser("alice@test.local", null, false));
            String bob = key(admin.adminCreateUser("bob@test.local", null, false));
            long aliceId = id(server, alice);
            long bobId = id(server, bob);
            admin.adminAddCredit(aliceId, 1000, "start", null);
            admin.adminAddCredit(bobId, 1000, "start", null);
            GpuMarketClient hostClient = new GpuMarketClient(server.url(), host);
            long machine = hostClient
                    .registerMachine(TestMachines.machine("RTX 4090", 16, "Oslo, NO", -1))
                    .machineId();
            hostClient.listMachine(new ListMachineRequest(machine, 0.5, 0.15, 0.01, 0.01, null, 1, null, null, null));

            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger writes = new AtomicInteger();
            List<Thread> load = List.of(
                    Thread.ofVirtual().start(() -> transfers(server, alice, bobId, running, writes)),
                    Thread.ofVirtual().start(() -> transfers(server, bob, aliceId, running, writes)),
                    Thread.ofVirtual().start(() -> rents(server, alice, machine, running, writes)));
            try {
                org.awaitility.Awaitility.await().until(() -> writes.get() >= 20);
                int before = writes.get();
                Cli.Result backedUp = Cli.run("admin", "backup", backup.toString(), "--db", db);
                assertThat(backedUp.exit()).as(backedUp.output()).isZero();
                assertThat(writes.get())
                        .as("writes went on while the backup ran")
                        .isGreaterThan(before);

                Cli.Result refused = Cli.run("admin", "restore", backup.toString(), "--db", db);
                assertThat(refused.exit())
                        .as("no restore under a running server")
                        .isEqualTo(1);
            } finally {
                running.set(false);
                for (Thread t : load) t.join();
            }
        }

        Files.copy(home.resolve("instance-key.secret"), restoredHome.resolve("instance-key.secret"));
        Cli.Result restored = Cli.run("admin", "restore", backup.toString(), "--db", restoredDb);
        assertThat(restored.exit()).as(restored.output()).isZero();

        try (JdbcStore store = JdbcStore.open(StoreConfig.of(restoredDb))) {
            assertThat(store.ledgerMismatches()).isEmpty();
        }
        try (ServerProcess server = ServerProcess.start(restoredHome, List.of("--meter-interval", "0"))) {
            JsonNode users =
                    Http.get(server.url() + "/api/v0/admin/users/", adminKey).json();
            double total = 0;
            int renters = 0;
            for (JsonNode u : users.get("users")) {
                String email = u.get("email").asText();
                if (email.equals("alice@test.local") || email.equals("bob@test.local")) {
                    total += u.get("credit").asDouble();
                    renters++;
                }
            }
            assertThat(renters).isEqualTo(2);
            assertThat(total)
                    .as("transfers move credit, never make or lose it")
                    .isCloseTo(2000.0, org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    private static void transfers(
            ServerProcess server, String from, long to, AtomicBoolean running, AtomicInteger writes) {
        while (running.get()) {
            var r = Http.put(
                    server.url() + "/api/v0/commands/transfer_credit/",
                    from,
                    "{\"sender\": \"me\", \"recipient\": \"" + to + "\", \"amount\": 0.01}");
            if (r.status() == 200) writes.incrementAndGet();
        }
    }

    private static void rents(
            ServerProcess server, String renter, long machine, AtomicBoolean running, AtomicInteger writes) {
        while (running.get()) {
            var offers = Http.post(
                            server.url() + "/api/v0/bundles/",
                            renter,
                            "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}, \"limit\": 1}")
                    .json()
                    .get("offers");
            if (offers.isEmpty()) return; // every GPU rented: the transfers go on alone
            var r = Http.put(
                    server.url() + "/api/v0/asks/" + offers.get(0).get("id").asLong() + "/",
                    renter,
                    "{\"image\": \"busybox\", \"disk\": 10}");
            if (r.status() == 200) writes.incrementAndGet();
        }
    }

    private static String key(Map<String, Object> created) {
        return (String) created.get("api_key");
    }

    private static long id(ServerProcess server, String key) {
        return Http.get(server.url() + "/api/v0/users/current/", key)
                .json()
                .get("id")
                .asLong();
    }
}
