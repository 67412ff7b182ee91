package io.gpumarket.bench.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.Agent;
import io.gpumarket.agent.AgentConfig;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.Wire;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.api.host.MachineRegistered;
import io.gpumarket.api.host.MachineRegistration;
import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.testkit.AgentProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Instance lifecycle latency on the local agent, as a renter sees it over HTTP: {@code PUT /asks} until
 * {@code actual_status == running}, stop until {@code stopped}, start until {@code running} again, and how long
 * {@code DELETE} takes to answer (it answers once the agent has torn the instance down).
 *
 * <p>A real server (SQLite in a temp dir) and a real agent (process launcher, SSH front door) in this JVM; the
 * renter polls {@code GET /instances/{id}/} every 5 ms, so figures include up to 5 ms of polling slack.
 * Run: {@code bench/run.sh lifecycle [--runs N]}.
 */
public final class LifecycleBench {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        int runs = args.length >= 2 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 30;
        Path home = Files.createTempDirectory("gpumarket-lifecycle");
        try (ServerApp app = ServerApp.start(ServerConfig.defaults(home)
                .withListen("127.0.0.1", 0)
                .withRateLimits(io.gpumarket.server.ratelimit.RateLimits.off()))) {
            String url = "http://127.0.0.1:" + app.port();
            GpuMarketClient admin =
                    new GpuMarketClient(url, app.bootstrapAdmin().orElseThrow().secret());
            String hostKey = (String)
                    admin.adminCreateUser("host@bench.local", "host", false).get("api_key");
            Map<String, Object> renter = admin.adminCreateUser("renter@bench.local", "renter", false);
            String renterKey = (String) renter.get("api_key");
            @SuppressWarnings("unchecked")
            long renterId = ((Number) ((Map<String, Object>) renter.get("user")).get("id")).longValue();
            admin.adminAddCredit(renterId, 1000, "lifecycle benchmark", null); // renting needs an hour of credit
            int ports = AgentProcess.freePortBlock(100);
            MachineRegistration hw = new MachineRegistration(
                    "RTX 4090",
                    8,
                    24564,
                    "nvidia",
                    890,
                    12.4,
                    "550.54.15",
                    12.0,
                    4.0,
                    16,
                    450.0,
                    90.0,
                    0.0,
                    false,
                    "bench cpu",
                    "amd64",
                    64,
                    4.5,
                    256_000L,
                    true,
                    4000.0,
                    3000.0,
                    "nvme",
                    1000.0,
                    1000.0,
                    "bench",
                    "22.04",
                    "127.0.0.1",
                    "bench",
                    ports,
                    ports + 99,
                    "Oslo, NO",
                    false,
                    false,
                    false);
            GpuMarketClient host = new GpuMarketClient(url, hostKey);
            MachineRegistered machine = host.registerMachine(hw);
            host.listMachine(
                    new ListMachineRequest(machine.machineId(), 0.3, 0.1, 0.0, 0.0, null, 1, null, null, null));
            AgentConfig config = new AgentConfig(
                    url,
                    machine.machineToken(),
                    home.resolve("agent"),
                    "8x RTX 4090",
                    24564,
                    "127.0.0.1",
                    "127.0.0.1",
                    ports,
                    ports + 99,
                    "Oslo, NO",
                    Duration.ofSeconds(2),
                    hw);
            try (Agent agent = Agent.start(config)) {
                List<Long> create = new ArrayList<>(),
                        stop = new ArrayList<>(),
                        start = new ArrayList<>(),
                        destroy = new ArrayList<>();
                for (int i = 0; i < runs + 3; i++) {
                    boolean warm = i >= 3; // the first runs pay class loading and JIT
                    long offer = firstOffer(url, renterKey, machine.machineId());
                    long t0 = System.nanoTime();
                    JsonNode created = call(
                            "PUT",
                            url + "/api/v0/asks/" + offer + "/",
                            renterKey,
                            "{\"image\": \"bench\", \"disk\": 8, \"runtype\": \"ssh_direct\", \"onstart\": \"true\"}");
                    long id = created.get("new_contract").asLong();
                    awaitStatus(url, renterKey, id, "running"::equals);
                    long t1 = System.nanoTime();
                    call("PUT", url + "/api/v0/instances/" + id + "/", renterKey, "{\"state\": \"stopped\"}");
                    awaitStatus(url, renterKey, id, "stopped"::equals);
                    long t2 = System.nanoTime();
                    call("PUT", url + "/api/v0/instances/" + id + "/", renterKey, "{\"state\": \"running\"}");
                    awaitStatus(url, renterKey, id, "running"::equals);
                    long t3 = System.nanoTime();
                    call("DELETE", url + "/api/v0/instances/" + id + "/", renterKey, "{}");
                    long t4 = System.nanoTime();
                    if (warm) {
                        create.add(t1 - t0);
                        stop.add(t2 - t1);
                        start.add(t3 - t2);
                        destroy.add(t4 - t3);
                    }
                }
                System.out.println(
                        "| step (" + runs + " runs, local agent, process launcher) | p50 ms | p95 ms | max ms |");
                System.out.println("|---|---:|---:|---:|");
                row("PUT /asks → actual_status running", create);
                row("stop → actual_status stopped", stop);
                row("start → actual_status running", start);
                row("DELETE answered (agent has torn it down)", destroy);
            }
        }
    }

    private static void row(String name, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        System.out.printf(
                "| %s | %.1f | %.1f | %.1f |%n",
                name, ms(pct(sorted, 0.50)), ms(pct(sorted, 0.95)), ms(sorted.getLast()));
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static long firstOffer(String url, String key, long machineId) throws Exception {
        JsonNode offers = call(
                        "POST",
                        url + "/api/v0/bundles/",
                        key,
                        "{\"machine_id\": {\"eq\": " + machineId + "}, \"num_gpus\": {\"eq\": 1}}")
                .get("offers");
        return offers.get(0).get("id").asLong();
    }

    private static void awaitStatus(String url, String key, long id, Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode i = call("GET", url + "/api/v0/instances/" + id + "/", key, null)
                    .get("instances");
            if (done.test(i.path("actual_status").asText())) return;
            if ("exited".equals(i.path("actual_status").asText()))
                throw new IllegalStateException("instance exited: " + i);
            Thread.sleep(5);
        }
        throw new IllegalStateException("instance " + id + " did not get there in 60 s");
    }

    private static JsonNode call(String method, String url, String key, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
            throw new IllegalStateException(method + " " + url + " → " + r.statusCode() + " " + r.body());
        return Wire.mapper().readTree(r.body());
    }
}
