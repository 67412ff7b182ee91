package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.billing.Charges;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

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
class MigrateServerKillStartingTest extends ServerKillFixture {
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

        Moves.moveTo(api(), renterKey, x, offerOn(machines.get(1)));
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
