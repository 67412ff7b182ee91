package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * recycle end to end ({@code PUT /instances/recycle/{id}/}, vastai's {@code recycle instance}): a real server, a real
 * agent in its own JVM and the stock ssh client, on a machine of one GPU. The instance is destroyed on the host and
 * created again from scratch (its files are gone, its onstart runs again), under the same contract, id and SSH port;
 * the GPU is never offered to anyone in between, and another renter trying for it is refused throughout.
 */
class RecycleTest {
    @TempDir
    static Path dir;

    static LiveMarket market;

    @BeforeAll
    static void start() throws Exception {
        market = new LiveMarket(TestServer.start(), dir, 1000, 1, "\"price_gpu\": 0.3");
    }

    @AfterAll
    static void stop() throws Exception {
        market.close();
    }

    /** The machine's offers as search shows them now. */
    static int offers() {
        var r = Http.post(
                market.server.api() + "/bundles/",
                market.renter.key(),
                "{\"machine_id\": {\"eq\": " + market.machine + "}}");
        return r.json().get("offers").size();
    }

    @Test
    void recycle_recreates_the_instance_from_scratch_and_keeps_its_gpu_throughout() throws Exception {
        long id = market.rent("echo started >> /root/onstart.log");
        int port = market.awaitRunning(id);
        assertThat(market.exec(port, "echo old > /root/marker.txt").exitCode()).isZero();
        assertThat(offers()).isZero();

        // watch the market while the instance is recycled: the machine's one GPU must never be offered
        AtomicBoolean watching = new AtomicBoolean(true);
        Set<Integer> seen = ConcurrentHashMap.newKeySet();
        Set<String> statuses = ConcurrentHashMap.newKeySet();
        Thread watcher = Thread.ofVirtual().start(() -> {
            while (watching.get()) {
                seen.add(offers());
                statuses.add(market.instance(id).path("actual_status").asText());
            }
        });
        var recycled = Http.put(market.server.api() + "/instances/recycle/" + id + "/", market.renter.key(), "{}");
        assertThat(recycled.status()).as(recycled.body()).isEqualTo(200);
        assertThat(recycled.json().get("success").asBoolean()).isTrue();

        // the old container's file is gone once the new one runs; the same id and SSH port
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonNode i = market.instance(id);
            return "running".equals(i.path("actual_status").asText())
                    && market.exec(port, "test -e /root/marker.txt").exitCode() == 1;
        });
        watching.set(false);
        watcher.join();
        assertThat(seen).containsOnly(0);
        assertThat(statuses).doesNotContain("exited");
        JsonNode after = market.instance(id);
        assertThat(after.get("ssh_port").asInt()).isEqualTo(port);
        assertThat(market.exec(port, "cat /root/onstart.log").output().strip()).isEqualTo("started");

        // nobody else can rent the GPU it holds, and the audit log shows the call
        var q = Http.post(
                market.server.api() + "/bundles/",
                market.host.key(),
                "{\"machine_id\": {\"eq\": " + market.machine + "}}");
        assertThat(q.json().get("offers").size()).isZero();
        boolean audited = false;
        for (JsonNode e : Http.get(market.server.api() + "/audit_logs/", market.renter.key())
                .json())
            audited |= e.get("api_route").asText().equals("/api/v0/instances/recycle/{id}/")
                    && e.get("args").get("id").asText().equals(Long.toString(id));
        assertThat(audited).isTrue();

        // someone else's instance: as a missing one
        var other = market.server.newRenter();
        var refused = Http.put(market.server.api() + "/instances/recycle/" + id + "/", other.key(), "{}");
        assertThat(refused.status()).isEqualTo(404);
    }
}
