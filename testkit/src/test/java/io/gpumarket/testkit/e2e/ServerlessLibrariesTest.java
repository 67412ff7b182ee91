package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;
import io.gpumarket.api.Wire;
import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.server.BillingConfig;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serverless end to end with Vast's own libraries, fetched from vast-ai/vast-cli at test time (never committed; a
 * checkout may be named by {@code GPUMARKET_VASTAI_SRC}) and run on Debian's python3 packages: the worker library
 * ("pyworker") in front of a tiny echo model inside real instances of a real agent (the isolated process runtime),
 * and the client library sending a burst through {@code /route/}.
 *
 * <p>As on Vast, the workers' template fetches its code when the instance starts (Vast's templates clone pyworker;
 * here a file server of the test's on the host's network address serves the worker and the library as one archive),
 * and the workers report to the server's address as the endpoint's owner reached it. Instances never reach the host's
 * loopback, so the server listens on every interface and the owner creates the endpoint through the host's network
 * address, as a real market's workers reach its public address (docs/serverless.md "Where workers report").
 */
class ServerlessLibrariesTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final int BURST = 40;

    @TempDir
    Path dir;

    @Test
    void a_burst_through_vasts_client_library_is_answered_by_pyworkers_the_autoscaler_scales_up_replaces_and_down()
            throws Exception {
        Path vastai = vastCli();
        assumeTrue(
                pythonHas("import aiohttp, psutil, anyio, Cryptodome, requests, dateutil"),
                "python3 with aiohttp, psutil, anyio, pycryptodome, requests, dateutil (Debian packages) is needed");
        Optional<InetAddress> outside = hostAddress();
        assumeTrue(outside.isPresent(), "a non-loopback address of this host is needed (the workers report to it)");
        String hostIp = outside.get().getHostAddress();
        Path scripts = Path.of(
                        getClass().getResource("/serverless/echo_worker.py").toURI())
                .getParent();
        Path served = Files.createDirectories(dir.resolve("served"));
        bundle(vastai, scripts, served.resolve("worker.tar.gz"));

        HttpServer files = SimpleFileServer.createFileServer(
                new InetSocketAddress(outside.get(), 0), served, SimpleFileServer.OutputLevel.NONE);
        files.start();
        try (TestServer server = TestServer.builder()
                        .billing(BillingConfig.defaults().withMeterInterval(Duration.ofSeconds(2)))
                        .config(c -> c.withListen("0.0.0.0", 0))
                        .start();
                LiveMarket market = new LiveMarket(server, dir.resolve("market"))) {
            TestServer.Account alice = market.renter;
            try {
                String reachable = "http://" + hostIp + ":"
                        + java.net.URI.create(server.url()).getPort();
                String code = "http://" + hostIp + ":" + files.getAddress().getPort() + "/worker.tar.gz";
                var template = Http.post(server.api() + "/template/", alice.key(), """
                    {"name": "echo", "image": "ubuntu", "tag": "22.04", "runtype": "args",
                     "env": "-e WORKER_PORT=3000 -p 3000:3000", "onstart": %s}""".formatted(
                                Wire.mapper().writeValueAsString(onstart(code))));
                assertThat(template.status()).as(template.body()).isEqualTo(200);
                String hash = template.json().get("template").get("hash_id").asText();
                // created through the address the workers can reach: it becomes their REPORT_ADDR
                var endpoint = Http.post(reachable + "/api/v0/endptjobs/", alice.key(), """
                    {"client_id": "me", "min_load": 0.0, "min_cold_load": 0.0, "target_util": 0.9, "cold_mult": 1.0,
                     "cold_workers": 1, "max_workers": 3, "endpoint_name": "echo", "max_queue_time": null,
                     "target_queue_time": null, "inactivity_timeout": 5, "autoscaler_instance": "prod"}""");
                assertThat(endpoint.status()).as(endpoint.body()).isEqualTo(200);
                long endpointId = endpoint.json().get("result").asLong();
                var group = Http.post(server.api() + "/workergroups/", alice.key(), """
                    {"endpoint_id": %d, "template_hash": "%s", "search_params": "num_gpus=1 rentable=True",
                     "test_workers": 3}""".formatted(endpointId, hash));
                assertThat(group.status()).as(group.body()).isEqualTo(200);

                // idle: one cold worker, rented, loaded in its instance (its library reported), then stopped
                await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            List<JsonNode> w = workers(server, alice, endpointId);
                            return w.size() == 1
                                    && w.get(0).get("status").asText().equals("stopped");
                        });
                long cold = workers(server, alice, endpointId).get(0).get("id").asLong();

                // the burst through the client library; midway one worker with requests in flight is killed
                Path results = dir.resolve("results.jsonl");
                Path clientLog = dir.resolve("client.log");
                ProcessBuilder clientRun = new ProcessBuilder(
                                PYTHON.toString(),
                                "-u",
                                scripts.resolve("client_burst.py").toString(),
                                server.url(),
                                alice.key(),
                                "echo",
                                Integer.toString(BURST),
                                results.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(clientLog.toFile());
                clientRun.environment().put("PYTHONPATH", vastai.toString());
                Process client = clientRun.start();
                try {
                    Set<Long> seenRunning = new HashSet<>();
                    List<Long> busy = new ArrayList<>();
                    await().atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> {
                                busy.clear();
                                for (JsonNode w : workers(server, alice, endpointId)) {
                                    if (!w.get("status").asText().equals("stopped"))
                                        seenRunning.add(w.get("id").asLong());
                                    if (w.get("status").asText().equals("idle")
                                            && w.get("cur_load").asDouble() > 0)
                                        busy.add(w.get("id").asLong());
                                }
                                return seenRunning.size() >= 2 && !busy.isEmpty() || !client.isAlive();
                            });
                    assertThat(client.isAlive())
                            .as("the burst still runs when a second worker serves: %s", Files.readString(clientLog))
                            .isTrue();
                    long killed = busy.get(0);
                    int door = market.instance(killed).get("ssh_port").asInt();
                    // the worker crashes: its instance ends, and its in-flight requests fail on the client's side
                    market.exec(door, "pkill -KILL -f 'python3 -u echo_worke[r]'");

                    assertThat(client.waitFor(2, TimeUnit.MINUTES))
                            .as("the burst ends: %s", Files.readString(clientLog))
                            .isTrue();
                    assertThat(client.exitValue())
                            .as(Files.readString(clientLog))
                            .isZero();
                    List<String> lines = Files.readAllLines(results);
                    assertThat(lines).hasSize(BURST);
                    Set<Long> answeredBy = new HashSet<>();
                    for (String line : lines) {
                        JsonNode r = Wire.mapper().readTree(line);
                        assertThat(r.get("echo").asInt()).isEqualTo(r.get("n").asInt());
                        answeredBy.add(r.get("worker").asLong());
                    }
                    // scaled up from the cold worker, and the killed worker's requests were answered by another
                    assertThat(seenRunning).hasSizeGreaterThanOrEqualTo(2);
                    assertThat(answeredBy).anyMatch(w -> w != killed);
                    String log = logs(server, alice, endpointId);
                    assertThat(log)
                            .contains("start worker " + cold)
                            .contains("rent a worker")
                            .contains("worker " + killed + " failed");
                    assertThat(seenRunning)
                            .hasSizeLessThanOrEqualTo(4); // max_workers 3, and the killed one's successor
                } finally {
                    client.destroyForcibly();
                }

                // and down again: after the inactivity timeout, one stopped worker is left
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> {
                            List<JsonNode> w = workers(server, alice, endpointId);
                            return w.size() == 1
                                    && w.get(0).get("status").asText().equals("stopped");
                        });
                assertThat(logs(server, alice, endpointId))
                        .contains("stop worker")
                        .contains("destroy worker");

                // every instance of alice's was a worker, and all she paid for is their instance time
                List<Instance> hers = server.app().store().repos().instances().liveByOwner(alice.id());
                assertThat(hers)
                        .isNotEmpty()
                        .allSatisfy(i -> assertThat(i.label()).isEqualTo("serverless echo"));
                await().atMost(Duration.ofSeconds(20)).until(() -> charged(server, alice) < 0);
                for (LedgerEntry e : server.app().store().repos().ledger().byUser(alice.id())) {
                    if (e.amount() > 0) continue; // her deposit
                    assertThat(e.kind()).isEqualTo("charge");
                    assertThat(e.memo()).startsWith("usage of");
                }
            } catch (AssertionError | RuntimeException failed) {
                // what the autoscaler saw and did, beside the failure
                for (JsonNode e : Http.get(server.api() + "/endptjobs/", alice.key())
                        .json()
                        .get("results"))
                    failed.addSuppressed(new AssertionError("the endpoint's log:\n"
                            + logs(server, alice, e.get("id").asLong())));
                throw failed;
            }
        } finally {
            files.stop(0);
        }
    }

    /** What the worker's instance runs: fetch the code, then the worker library in front of the echo model. */
    static String onstart(String codeUrl) {
        return "bash -c 'mkdir -p /root/w && cd /root/w && curl -fsS " + codeUrl + " | tar xz"
                + " && MODEL_PORT=18000 MODEL_LOG=/root/w/model.log PYTHONPATH=/root/w"
                + " exec /usr/bin/python3 -u echo_worker.py'";
    }

    /** The worker's code as one archive: vast-cli's {@code vastai} package, the echo worker and the Crypto alias. */
    static void bundle(Path vastai, Path scripts, Path archive) throws Exception {
        Process tar = new ProcessBuilder(
                        "tar",
                        "czf",
                        archive.toString(),
                        "--exclude=__pycache__",
                        "-C",
                        vastai.toString(),
                        "vastai",
                        "-C",
                        scripts.toString(),
                        "echo_worker.py",
                        "Crypto")
                .redirectErrorStream(true)
                .start();
        String said = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as(said).isZero();
    }

    static long charged(TestServer server, TestServer.Account who) {
        return server.app().store().repos().ledger().byUser(who.id()).stream()
                .filter(e -> e.amount() < 0)
                .mapToLong(LedgerEntry::amount)
                .sum();
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

    /** A non-loopback IPv4 address of this host: an instance reaches it as it reaches any address outside. */
    static Optional<InetAddress> hostAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .filter(n -> {
                    try {
                        return n.isUp() && !n.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                .findFirst();
    }
}
