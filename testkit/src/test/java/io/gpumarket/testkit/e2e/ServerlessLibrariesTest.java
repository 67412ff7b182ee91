package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.core.instance.EnvPair;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.store.ServerlessRepo;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serverless end to end with Vast's own libraries, fetched from vast-ai/vast-cli at test time (never committed; a
 * checkout may be named by {@code GPUMARKET_VASTAI_SRC}) and run on Debian's python3 packages: the worker library
 * ("pyworker") in front of a tiny echo model, and the client library sending a burst through {@code /route/}.
 *
 * <p>The autoscaler rents and releases the workers as ordinary instances of the endpoint's owner; this test plays
 * the part of the instances' runtime: for every worker instance meant to run it starts {@code echo_worker.py} with the
 * environment an instance has ({@code CONTAINER_ID}, {@code PUBLIC_IPADDR}, {@code VAST_TCP_PORT_*}, and the
 * autoscaler's {@code REPORT_ADDR} and {@code MASTER_TOKEN}), and ends it when the instance is stopped or destroyed.
 * (On an agent's process launcher the worker would also need the library inside the instance's read-only view and a
 * route from the instance's network namespace to the server, which pasta's {@code --no-map-gw} rightly closes for
 * the host's loopback: docs/serverless.md.)
 */
class ServerlessLibrariesTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path dir;

    @Test
    void a_burst_through_vasts_client_library_is_answered_by_pyworkers_the_autoscaler_scales_up_replaces_and_down()
            throws Exception {
        // opt-in (as UnderLoadHttpTest): minutes of Python workers; on the loaded build machine of 2026-12-07 the
        // burst phase did not finish in time (see the branch's report)
        assumeTrue("1".equals(System.getenv("GPUMARKET_SERVERLESS_E2E")), "set GPUMARKET_SERVERLESS_E2E=1 to run");
        Path vastai = vastCli();
        assumeTrue(
                pythonHas("import aiohttp, psutil, anyio, Cryptodome, requests, dateutil"),
                "python3 with aiohttp, psutil, anyio, pycryptodome (Debian packages) is needed");
        Path scripts = Path.of(
                        getClass().getResource("/serverless/echo_worker.py").toURI())
                .getParent();
        String pythonPath = vastai + ":" + scripts;

        try (TestServer server = TestServer.builder()
                        .billing(BillingConfig.defaults().withMeterInterval(Duration.ofSeconds(5)))
                        .start();
                Farm farm = new Farm(server, scripts, pythonPath, dir)) {
            var host = server.newUser();
            server.hostMachine(
                    host,
                    TestMachines.machine("RTX 4090", 8, "Oslo, NO", 47100),
                    0.3,
                    Map.of("verification", "verified"));
            TestServer.Account alice = server.newRenter(100);
            var template = Http.post(server.api() + "/template/", alice.key(), """
                    {"name": "echo", "image": "ubuntu", "tag": "22.04", "runtype": "args",
                     "env": "-e WORKER_PORT=3000 -p 3000:3000"}""");
            String hash = template.json().get("template").get("hash_id").asText();
            var endpoint = Http.post(server.api() + "/endptjobs/", alice.key(), """
                    {"client_id": "me", "min_load": 0.0, "min_cold_load": 0.0, "target_util": 0.9, "cold_mult": 1.0,
                     "cold_workers": 1, "max_workers": 3, "endpoint_name": "echo", "max_queue_time": null,
                     "target_queue_time": null, "inactivity_timeout": 5, "autoscaler_instance": "prod"}""");
            long endpointId = endpoint.json().get("result").asLong();
            var group = Http.post(server.api() + "/workergroups/", alice.key(), """
                    {"endpoint_id": %d, "template_hash": "%s", "search_params": "num_gpus=1 verified=True rentable=True",
                     "test_workers": 3}""".formatted(endpointId, hash));
            assertThat(group.status()).as(group.body()).isEqualTo(200);
            farm.watch(endpointId);

            // idle: one cold worker, rented, loaded (its library reported), then stopped
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        List<JsonNode> w = workers(server, alice, endpointId);
                        return w.size() == 1 && w.get(0).get("status").asText().equals("stopped");
                    });

            // the burst: 40 requests through the client library; midway one serving worker is destroyed
            Path results = dir.resolve("results.jsonl");
            ProcessBuilder clientRun = new ProcessBuilder(
                            PYTHON.toString(),
                            scripts.resolve("client_burst.py").toString(),
                            server.url(),
                            alice.key(),
                            "echo",
                            "40",
                            results.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("client.log").toFile());
            clientRun.environment().put("PYTHONPATH", pythonPath);
            Process client = clientRun.start();
            Set<Long> seenRunning = new HashSet<>();
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(300))
                    .until(() -> {
                        workers(server, alice, endpointId).stream()
                                .filter(w -> !w.get("status").asText().equals("stopped"))
                                .forEach(w -> seenRunning.add(w.get("id").asLong()));
                        return seenRunning.size() >= 2 && farm.served() >= 5 || !client.isAlive();
                    });
            Optional<Long> killed = farm.busiest();
            killed.ifPresent(id -> assertThat(Http.delete(server.api() + "/instances/" + id + "/", alice.key(), "{}")
                            .status())
                    .isEqualTo(200));
            assertThat(client.waitFor(4, TimeUnit.MINUTES)).as("the burst ends").isTrue();
            assertThat(client.exitValue())
                    .as(Files.readString(dir.resolve("client.log")))
                    .isZero();
            List<String> lines = Files.readAllLines(results);
            assertThat(lines).hasSize(40);
            Set<Long> answeredBy = new HashSet<>();
            for (int i = 0; i < lines.size(); i++) {
                JsonNode r = Wire.mapper().readTree(lines.get(i));
                assertThat(r.get("echo").asInt()).isEqualTo(r.get("n").asInt());
                answeredBy.add(r.get("worker").asLong());
            }
            // scaled up from the cold worker: more than one worker answered, never more than max_workers at once
            assertThat(answeredBy.size()).isGreaterThan(1);
            assertThat(farm.mostAtOnce()).isLessThanOrEqualTo(3);
            String log = logs(server, alice, endpointId);
            assertThat(log).contains("start worker").contains("rent a worker");
            if (killed.isPresent()) assertThat(log).contains("worker " + killed.get() + " is gone");

            // and down again: after the inactivity timeout, one stopped worker is left
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        List<JsonNode> w = workers(server, alice, endpointId);
                        return w.size() == 1 && w.get(0).get("status").asText().equals("stopped");
                    });
            assertThat(logs(server, alice, endpointId)).contains("stop worker").contains("destroy worker");
            // every worker was one of alice's ordinary instances, and only those are hers
            for (Instance i : server.app().store().repos().instances().liveByOwner(alice.id()))
                assertThat(i.label()).isEqualTo("serverless echo");
        }
    }

    static List<JsonNode> workers(TestServer server, TestServer.Account owner, long endpoint) {
        var r = Http.post(server.url() + "/get_endpoint_workers/", owner.key(), "{\"id\": " + endpoint + "}");
        List<JsonNode> out = new ArrayList<>();
        r.json().forEach(out::add);
        return out;
    }

    static String logs(TestServer server, TestServer.Account owner, long endpoint) {
        return Http.post(server.url() + "/get_endpoint_logs/", owner.key(), "{\"id\": " + endpoint + "}")
                .json()
                .get("info1")
                .asText();
    }

    /** vast-cli's source: {@code GPUMARKET_VASTAI_SRC}, or a shallow clone into target/ (skipped when neither works). */
    static Path vastCli() throws Exception {
        String given = System.getenv("GPUMARKET_VASTAI_SRC");
        if (given != null && Files.isDirectory(Path.of(given, "vastai"))) return Path.of(given);
        Path clone = Path.of("target", "vast-cli").toAbsolutePath();
        if (!Files.isDirectory(clone.resolve("vastai"))) {
            Process git = new ProcessBuilder(
                            "git", "clone", "--depth", "1", "https://github.com/vast-ai/vast-cli.git", clone.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            boolean done = git.waitFor(3, TimeUnit.MINUTES);
            if (!done) git.destroyForcibly();
            assumeTrue(done && git.exitValue() == 0, "vast-ai/vast-cli could not be fetched (no network?)");
        }
        return clone;
    }

    static boolean pythonHas(String imports) throws Exception {
        if (!Files.isExecutable(PYTHON)) return false;
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", imports)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /** The workers' runtime: one echo_worker.py per worker instance meant to run. */
    static final class Farm implements AutoCloseable {
        private final TestServer server;
        private final Path scripts;
        private final String pythonPath;
        private final Path dir;
        private final Map<Long, Process> running = new ConcurrentHashMap<>();
        private final Map<Long, Path> logs = new ConcurrentHashMap<>();
        private volatile long endpoint;
        private volatile int mostAtOnce;
        private final Thread loop;
        private volatile boolean closed;

        Farm(TestServer server, Path scripts, String pythonPath, Path dir) {
            this.server = server;
            this.scripts = scripts;
            this.pythonPath = pythonPath;
            this.dir = dir;
            this.loop = Thread.ofVirtual().start(this::run);
        }

        void watch(long endpointId) {
            endpoint = endpointId;
        }

        int mostAtOnce() {
            return mostAtOnce;
        }

        /** How many requests the workers served so far (their access log lines for /echo from clients). */
        int served() throws IOException {
            int n = 0;
            for (Path log : logs.values()) {
                if (!Files.exists(log)) continue;
                for (String line : Files.readAllLines(log))
                    if (line.contains("POST /echo") && !line.contains("Python/3")) n++;
            }
            return n;
        }

        /** The running worker that served the most so far. */
        Optional<Long> busiest() throws IOException {
            long best = -1;
            int most = -1;
            for (Map.Entry<Long, Process> e : running.entrySet()) {
                Path log = logs.get(e.getKey());
                int n = 0;
                if (Files.exists(log)) for (String line : Files.readAllLines(log)) if (line.contains("POST /echo")) n++;
                if (n > most) {
                    most = n;
                    best = e.getKey();
                }
            }
            return best < 0 ? Optional.empty() : Optional.of(best);
        }

        private void run() {
            while (!closed) {
                try {
                    if (endpoint > 0) reconcile();
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    // the next pass tries again
                }
            }
        }

        private void reconcile() throws IOException {
            ServerlessRepo repo = server.app().store().repos().serverless();
            Set<Long> wanted = new HashSet<>();
            for (ServerlessRepo.Worker w : repo.workersOfEndpoint(endpoint)) {
                Optional<Instance> i = server.app().store().repos().instances().find(w.instanceId());
                if (i.isPresent()
                        && i.get().destroyedAt() == null
                        && i.get().intendedStatus() == IntendedStatus.RUNNING) wanted.add(w.instanceId());
            }
            for (Long id : List.copyOf(running.keySet())) {
                if (!wanted.contains(id)) running.remove(id).destroyForcibly();
            }
            for (Long id : wanted) {
                if (running.containsKey(id)) continue;
                running.put(
                        id,
                        start(server.app().store().repos().instances().find(id).orElseThrow()));
            }
            mostAtOnce = Math.max(mostAtOnce, running.size());
        }

        private Process start(Instance i) throws IOException {
            Path home = Files.createDirectories(dir.resolve("worker-" + i.id() + "-" + System.nanoTime()));
            int port = AgentProcess.freePortBlock(2);
            int model = AgentProcess.freePortBlock(1);
            ProcessBuilder pb = new ProcessBuilder(
                            PYTHON.toString(),
                            "-u",
                            scripts.resolve("echo_worker.py").toString())
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(home.resolve("worker.log").toFile());
            Map<String, String> env = pb.environment();
            env.put("PYTHONPATH", pythonPath);
            for (EnvPair p : i.launch().env()) if (!p.key().startsWith("-")) env.put(p.key(), p.value());
            env.put("CONTAINER_ID", Long.toString(i.id()));
            env.put("PUBLIC_IPADDR", "127.0.0.1");
            env.put("WORKER_PORT", Integer.toString(port));
            env.put("VAST_TCP_PORT_" + port, Integer.toString(port));
            env.put("MODEL_PORT", Integer.toString(model));
            env.put("MODEL_LOG", home.resolve("model.log").toString());
            logs.put(i.id(), home.resolve("worker.log"));
            return pb.start();
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            loop.interrupt();
            loop.join(5000);
            for (Process p : running.values()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
