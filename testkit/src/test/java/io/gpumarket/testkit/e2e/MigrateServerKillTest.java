package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.billing.Charges;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

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
class MigrateServerKillTest extends ServerKillFixture {
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

        Moves.moveTo(api(), renterKey, x, offerOn(machines.get(1)));
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
        Moves.awaitDone(api(), renterKey, x, Duration.ofSeconds(240));
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
