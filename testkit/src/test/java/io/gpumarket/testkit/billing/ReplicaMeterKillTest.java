package io.gpumarket.testkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.PostgresCluster;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Two server processes on one throwaway PostgreSQL with a one-second meter: the meter's leader is killed with SIGKILL
 * while a contract runs, the other replica takes the meter over within an interval, and every millisecond of the
 * contract up to the watermark is charged exactly once — the ledger equals the independent recomputation
 * ({@link Recomputation}) to the micro-dollar (docs/high-availability.md).
 */
class ReplicaMeterKillTest {
    @Test
    void the_meters_leader_killed_is_replaced_within_an_interval_and_every_second_is_charged_once() throws Exception {
        // its own PostgreSQL whatever the backend: run once, in the PostgreSQL suite
        Assumptions.assumeTrue(
                "postgresql".equals(TestServer.backend()), "runs with GPUMARKET_TEST_BACKEND=postgresql");
        String db = PostgresCluster.get().newDatabase();
        Path shared = Files.createTempDirectory("gpumarket-replicas");
        List<String> flags = List.of(
                "--db",
                db,
                "--instance-key-file",
                shared.resolve("instance-key.secret").toString(),
                "--meter-interval",
                "1s");
        ServerProcess first = ServerProcess.start(Files.createDirectories(shared.resolve("r1")), flags);
        ServerProcess second = null;
        AtomicBoolean beating = new AtomicBoolean(true);
        Thread heart = null;
        try (Store store = JdbcStore.open(StoreConfig.of(db))) {
            second = ServerProcess.start(Files.createDirectories(shared.resolve("r2")), flags);
            GpuMarketClient admin = new GpuMarketClient(first.url(), first.adminKey());
            String hostKey = (String)
                    admin.adminCreateUser("host@test.local", null, false).get("api_key");
            String renterKey = (String)
                    admin.adminCreateUser("renter@test.local", null, false).get("api_key");
            long renterId = Http.get(first.url() + "/api/v0/users/current/", renterKey)
                    .json()
                    .get("id")
                    .asLong();
            long hostId = Http.get(first.url() + "/api/v0/users/current/", hostKey)
                    .json()
                    .get("id")
                    .asLong();
            admin.adminAddCredit(renterId, 1000, "start", null);
            GpuMarketClient host = new GpuMarketClient(first.url(), hostKey);
            var registered = host.registerMachine(TestMachines.machine("RTX 4090", 2, "Oslo, NO", -1));
            long machine = registered.machineId();
            host.listMachine(new ListMachineRequest(machine, 0.5, 0.15, 0.01, 0.01, null, 1, null, null, null));
            long offer = Http.post(
                            first.url() + "/api/v0/bundles/",
                            renterKey,
                            "{\"machine_id\": {\"eq\": " + machine + "}, \"num_gpus\": {\"eq\": 1}}")
                    .json()
                    .get("offers")
                    .get(0)
                    .get("id")
                    .asLong();
            var rent = Http.put(
                    first.url() + "/api/v0/asks/" + offer + "/", renterKey, "{\"image\": \"busybox\", \"disk\": 10}");
            assertThat(rent.status()).as(rent.body()).isEqualTo(200);
            long contract = rent.json().get("new_contract").asLong();

            ServerProcess[] replicas = {first, second};
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(replicas) >= 0);
            ServerProcess leader = replicas[leader(replicas)];
            ServerProcess survivor = leader == first ? second : first;

            // the machine's agent talks to the replica that survives, so its contacts are never lost with the other
            TestAgent agent = new TestAgent(survivor.url(), registered.machineToken());
            agent.sync();
            agent.report(contract, "running");
            heart = Thread.ofVirtual().start(() -> {
                while (beating.get()) {
                    try {
                        agent.sync();
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException e) {
                        // the test's assertions decide; a missed beat is only a beat
                    }
                }
            });
            // the meter charges 20 s behind now on PostgreSQL (ServerApp.REPLICA_METER_LAG)
            await().atMost(Duration.ofSeconds(90)).until(() -> Charges.charged(store, renterId) > 0);

            leader.kill();
            Instant killedAt = store.repos().billing().chargedTo();
            await().atMost(Duration.ofSeconds(3)).until(() -> leads(survivor, "billing-meter"));
            // the survivor's ticks move the watermark on
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> store.repos().billing().chargedTo().isAfter(killedAt.plusSeconds(3)));

            // stop the clock of the books: stop the contract, let the meter pass its end, then compare
            var stop = Http.put(
                    survivor.url() + "/api/v0/instances/" + contract + "/", renterKey, "{\"state\": \"stopped\"}");
            assertThat(stop.status()).as(stop.body()).isEqualTo(200);
            agent.report(contract, "exited");
            Instant stoppedAt = Instant.now();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.repos().billing().chargedTo().isAfter(stoppedAt.plusSeconds(1)));
            beating.set(false);
            heart.join(5_000);

            Instant watermark = store.repos().billing().chargedTo();
            Instance i = store.repos().instances().find(contract).orElseThrow();
            Recomputation.Cost expected = Recomputation.ofStored(store, i, hostId, Duration.ofSeconds(30), watermark);
            assertThat(expected.gpu()).as("GPU time was charged").isPositive();
            assertThat(Charges.charged(store, renterId))
                    .as("charges at %s", watermark)
                    .isEqualTo(expected.total());
            assertThat(store.repos().ledger().balance(renterId))
                    .isEqualTo(store.repos().ledger().sumOfEntries(renterId));
        } finally {
            beating.set(false);
            if (heart != null) heart.interrupt();
            first.kill();
            if (second != null) second.kill();
        }
    }

    /** The index of the replica leading the meter, or -1 while none does (or one that cannot be asked). */
    private static int leader(ServerProcess[] replicas) {
        for (int k = 0; k < replicas.length; k++) if (leads(replicas[k], "billing-meter")) return k;
        return -1;
    }

    private static boolean leads(ServerProcess replica, String loop) {
        try {
            var r = Http.get(replica.url() + "/readyz", null);
            if (r.status() != 200) return false;
            List<String> leads = new ArrayList<>();
            r.json().get("leads").forEach(n -> leads.add(n.asText()));
            return leads.contains(loop);
        } catch (RuntimeException | AssertionError unreachable) {
            return false;
        }
    }
}
