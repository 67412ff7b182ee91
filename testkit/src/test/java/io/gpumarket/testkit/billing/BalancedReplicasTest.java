package io.gpumarket.testkit.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.process.ProcessLauncher;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.SyncResponse;
import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.store.Store;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.AgentProcess;
import io.gpumarket.testkit.Http;
import io.gpumarket.testkit.PostgresCluster;
import io.gpumarket.testkit.ServerProcess;
import io.gpumarket.testkit.TestAgent;
import io.gpumarket.testkit.TestMachines;
import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 20's acceptance: HAProxy in front of three server processes on one PostgreSQL, machines' agents syncing
 * through the balancer — three real agents ({@code gpumarket agent} in their own JVMs, the process launcher) and two
 * played over HTTP for more traffic — and a mixed load of searches, rents, stops and destroys while one replica is
 * killed with SIGKILL and another is restarted gracefully (SIGTERM, drain, start again on its port). Then: every
 * acknowledged write is in the database, no machine has more GPUs rented than it has, every agent's machine converges
 * (for the real agents: what their launcher actually runs, read from their state directories), the ledger equals the
 * independent recomputation to the micro-dollar, and no request through the balancer failed while the graceful
 * restart ran (docs/high-availability.md). Runs once, in the PostgreSQL suite; needs {@code haproxy}
 * ({@code .ci/run} installs it, and fails if this test was skipped there).
 */
class BalancedReplicasTest {
    /** Machines served by real agent processes, then machines whose agent the test plays over HTTP. */
    static final int REAL = 3;

    static final int PLAYED = 2;
    static final int GPUS = 4;
    static final int WORKERS = 6;
    static final String BODY = "{\"image\": \"busybox\", \"disk\": 10}";

    /** One request's outcome through the balancer. */
    record Outcome(long startNanos, long endNanos, String what, int status, String detail) {
        boolean failed() {
            // 404 no_such_ask is a lost race for an offer, an answer and not a failure
            return status < 0 || status >= 500;
        }
    }

    @Test
    void three_replicas_behind_haproxy_lose_nothing_through_a_kill_and_a_graceful_restart() throws Exception {
        // its own PostgreSQL and processes whatever the backend: run once, in the PostgreSQL suite
        Assumptions.assumeTrue(
                "postgresql".equals(TestServer.backend()), "runs with GPUMARKET_TEST_BACKEND=postgresql");
        Assumptions.assumeTrue(
                Files.isExecutable(Path.of("/usr/sbin/haproxy")) || Files.isExecutable(Path.of("/usr/bin/haproxy")),
                "haproxy is not installed (apt-get install haproxy)");
        String db = PostgresCluster.get().newDatabase();
        Path dir = Files.createTempDirectory("gpumarket-balanced");
        int[] ports = {freePort(), freePort(), freePort()};
        int front = freePort();
        List<String> flags = List.of(
                "--db",
                db,
                "--instance-key-file",
                dir.resolve("instance-key.secret").toString(),
                "--meter-interval",
                "1s",
                "--drain-grace",
                "8s",
                "--rate-limit",
                "all=off");
        ServerProcess[] replicas = new ServerProcess[3];
        List<AgentProcess> realAgents = new ArrayList<>();
        Map<Long, Path> agentStates = new HashMap<>();
        Process haproxy = null;
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        AtomicBoolean playing = new AtomicBoolean(true);
        List<Thread> players = new ArrayList<>();
        try (Store store = JdbcStore.open(StoreConfig.of(db))) {
            for (int k = 0; k < 3; k++)
                replicas[k] = ServerProcess.start(
                        Files.createDirectories(dir.resolve("r" + k)), flags, ports[k], Duration.ofMinutes(5));
            haproxy = startHaproxy(dir, front, ports);
            String api = "http://127.0.0.1:" + front + "/api/v0";
            String url = "http://127.0.0.1:" + front;
            await().atMost(Duration.ofSeconds(30)).until(() -> status(api.replace("/api/v0", "/readyz")) == 200);

            GpuMarketClient admin = new GpuMarketClient(url, replicas[0].adminKey());
            String hostKey = (String)
                    admin.adminCreateUser("host@test.local", null, false).get("api_key");
            GpuMarketClient host = new GpuMarketClient(url, hostKey);
            // every machine's agent talks to the balancer, never to one replica
            Set<Long> machines = new HashSet<>();
            Map<Long, TestAgent> played = new HashMap<>();
            for (int m = 0; m < REAL + PLAYED; m++) {
                boolean real = m < REAL;
                int portStart = real ? AgentProcess.freePortBlock(20) : -1;
                var reg = host.registerMachine(TestMachines.machine("RTX 4090", GPUS, "Oslo, NO", portStart));
                host.listMachine(
                        new ListMachineRequest(reg.machineId(), 0.5, 0.15, 0.01, 0.01, null, 1, null, null, null));
                machines.add(reg.machineId());
                if (real) {
                    Path state = dir.resolve("agent" + m);
                    agentStates.put(reg.machineId(), state);
                    realAgents.add(new AgentProcess(
                                    url, reg.machineToken(), state, GPUS + "x RTX 4090", portStart, portStart + 19)
                            .start());
                } else played.put(reg.machineId(), new TestAgent(url, reg.machineToken()));
            }
            List<String> renters = new ArrayList<>();
            Map<String, Long> renterIds = new HashMap<>();
            for (int w = 0; w < WORKERS; w++) {
                String key = (String) admin.adminCreateUser("renter" + w + "@test.local", null, false)
                        .get("api_key");
                long id =
                        Http.get(api + "/users/current/", key).json().get("id").asLong();
                admin.adminAddCredit(id, 1000, "start", null);
                renters.add(key);
                renterIds.put(key, id);
            }

            // the played agents: sync through the balancer, "run" what they are told, report it
            for (var e : played.entrySet())
                players.add(Thread.ofPlatform().daemon().start(() -> playAgent(e.getValue(), playing)));

            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            Set<Long> rented = ConcurrentHashMap.newKeySet();
            Set<Long> destroyed = ConcurrentHashMap.newKeySet();
            Map<Long, String> stopped = new ConcurrentHashMap<>();
            Map<Long, String> owner = new ConcurrentHashMap<>();
            for (String key : renters)
                threads.add(Thread.ofPlatform()
                        .daemon()
                        .start(() -> work(api, key, running, outcomes, rented, destroyed, stopped, owner)));

            awaitExplained(outcomes, Duration.ofSeconds(90), () -> rented.size() >= 4);
            replicas[1].kill();
            long killedAt = System.nanoTime();
            awaitExplained(
                    outcomes,
                    Duration.ofSeconds(60),
                    () -> outcomes.stream()
                                    .filter(o -> o.startNanos() > killedAt + 5_000_000_000L)
                                    .count()
                            > 20);

            long restartFrom = System.nanoTime();
            replicas[2].close(); // SIGTERM: drains, then exits
            // the load goes on through the two others meanwhile; a start on a loaded machine takes minutes
            replicas[2] = ServerProcess.start(dir.resolve("r2"), flags, ports[2], Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> status("http://127.0.0.1:" + ports[2] + "/readyz") == 200);
            long restartTo = System.nanoTime();
            awaitExplained(
                    outcomes,
                    Duration.ofSeconds(60),
                    () -> outcomes.stream()
                                    .filter(o -> o.startNanos() > restartTo)
                                    .count()
                            > 20);
            running.set(false);
            for (Thread t : threads) t.join(30_000);

            // no request through the balancer failed while the graceful restart ran
            List<Outcome> duringRestart = outcomes.stream()
                    .filter(o -> o.endNanos() >= restartFrom && o.startNanos() <= restartTo)
                    .toList();
            assertThat(duringRestart).isNotEmpty();
            assertThat(duringRestart).filteredOn(Outcome::failed).isEmpty();

            // every acknowledged write is in the database
            for (long id : rented)
                assertThat(store.repos().instances().find(id)).as("rent %s", id).isPresent();
            for (long id : destroyed)
                assertThat(store.repos().instances().find(id).orElseThrow().destroyedAt())
                        .as("destroy %s", id)
                        .isNotNull();
            for (long id : stopped.keySet()) {
                Instance i = store.repos().instances().find(id).orElseThrow();
                if (i.destroyedAt() == null)
                    assertThat(i.intendedStatus().wire()).as("stop %s", id).isEqualTo("stopped");
            }
            // no GPU sold twice
            for (long m : machines) {
                int live = store.repos().instances().liveOnMachine(m).stream()
                        .mapToInt(Instance::numGpus)
                        .sum();
                assertThat(live).as("GPUs rented on machine %s", m).isLessThanOrEqualTo(GPUS);
                assertThat(store.repos().machines().find(m).orElseThrow().freeGpus())
                        .isEqualTo(GPUS - live);
            }
            // every agent converges: each live contract's actual state follows its intended state, as the agent
            // reports it; a real agent's launcher runs exactly the running ones and holds nothing destroyed
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                for (long m : machines) {
                    List<Instance> live = store.repos().instances().liveOnMachine(m);
                    for (Instance i : live) {
                        boolean run = i.intendedStatus().wire().equals("running");
                        String actual = i.agent().actualStatus() == null
                                ? null
                                : i.agent().actualStatus().wire();
                        if (run)
                            assertThat(actual)
                                    .as("instance %s on machine %s", i.id(), m)
                                    .isEqualTo("running");
                        else
                            assertThat(actual)
                                    .as("instance %s on machine %s", i.id(), m)
                                    .isIn("exited", "stopped");
                    }
                    Path state = agentStates.get(m);
                    if (state == null) continue;
                    try (ProcessLauncher launcher = new ProcessLauncher(state.resolve("instances"))) {
                        Set<Long> liveIds = new HashSet<>();
                        for (Instance i : live) {
                            liveIds.add(i.id());
                            Inspection.State runs = launcher.inspect(i.id()).state();
                            if (i.intendedStatus().wire().equals("running"))
                                assertThat(runs)
                                        .as("instance %s as machine %s's agent runs it", i.id(), m)
                                        .isEqualTo(Inspection.State.RUNNING);
                            else
                                assertThat(runs)
                                        .as("stopped instance %s as machine %s's agent has it", i.id(), m)
                                        .isNotEqualTo(Inspection.State.RUNNING);
                        }
                        assertThat(liveIds)
                                .as("machine %s's agent keeps only live instances", m)
                                .containsAll(launcher.known());
                    }
                }
            });
            playing.set(false);
            for (Thread t : players) {
                t.interrupt();
                t.join(30_000);
            }

            // the ledger equals the independent recomputation at the meter's watermark
            Instant from = store.repos().billing().chargedTo();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.repos().billing().chargedTo().isAfter(from));
            Map<Long, Long> expected = new HashMap<>();
            Instant watermark;
            // the meter keeps ticking: read the books and the watermark at one instant by retrying until stable
            Map<Long, Long> charged;
            do {
                watermark = store.repos().billing().chargedTo();
                charged = new HashMap<>();
                for (long id : renterIds.values()) charged.put(id, Charges.charged(store, id));
            } while (!watermark.equals(store.repos().billing().chargedTo()));
            // every contract ever made, acknowledged or not (a rent committed on the killed replica whose answer was
            // lost is a contract too): ids are looked up past the highest acknowledged one
            long top = rented.stream().mapToLong(Long::longValue).max().orElse(0) + 200;
            for (long id = 1; id <= top; id++) {
                Instance i = store.repos().instances().find(id).orElse(null);
                if (i == null) continue;
                Recomputation.Cost c = Recomputation.ofStored(store, i, 0, Duration.ofSeconds(30), watermark);
                expected.merge(i.ownerId(), c.total(), Long::sum);
            }
            for (long id : renterIds.values())
                assertThat(charged.get(id))
                        .as("charges of renter %s at %s", id, watermark)
                        .isEqualTo(expected.getOrDefault(id, 0L));
        } finally {
            running.set(false);
            playing.set(false);
            for (Thread t : threads) t.interrupt();
            for (Thread t : players) t.interrupt();
            // the agents first (what they started is theirs to leave behind), then whatever a killed agent left
            for (AgentProcess a : realAgents) a.close();
            for (Path state : agentStates.values())
                try (ProcessLauncher leftovers = new ProcessLauncher(state.resolve("instances"))) {
                    leftovers.known().forEach(leftovers::destroy);
                }
            if (haproxy != null) {
                haproxy.destroy();
                haproxy.waitFor();
            }
            for (ServerProcess r : replicas) if (r != null) r.kill();
        }
    }

    /** A renter: search, rent, sometimes stop, sometimes destroy, until told to end. */
    private static void work(
            String api,
            String key,
            AtomicBoolean running,
            ConcurrentLinkedQueue<Outcome> outcomes,
            Set<Long> rented,
            Set<Long> destroyed,
            Map<Long, String> stopped,
            Map<Long, String> owner) {
        List<Long> mine = new ArrayList<>();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (running.get()) {
            try {
                var search = call(outcomes, "search", () -> Http.post(api + "/bundles/", key, "{\"limit\": 50}"));
                if (search != null && search.status() == 200 && mine.size() < 2) {
                    var offers = search.json().get("offers");
                    if (offers.size() > 0) {
                        long offer =
                                offers.get(rnd.nextInt(offers.size())).get("id").asLong();
                        var r = call(outcomes, "rent", () -> Http.put(api + "/asks/" + offer + "/", key, BODY));
                        if (r != null && r.status() == 200) {
                            long id = r.json().get("new_contract").asLong();
                            rented.add(id);
                            owner.put(id, key);
                            mine.add(id);
                        }
                    }
                }
                if (!mine.isEmpty() && rnd.nextInt(4) == 0) {
                    long id = mine.get(rnd.nextInt(mine.size()));
                    var r = call(
                            outcomes,
                            "stop",
                            () -> Http.put(api + "/instances/" + id + "/", key, "{\"state\": \"stopped\"}"));
                    if (r != null && r.status() == 200) stopped.put(id, key);
                }
                if (!mine.isEmpty() && rnd.nextInt(4) == 0) {
                    long id = mine.remove(rnd.nextInt(mine.size()));
                    var r = call(outcomes, "destroy", () -> Http.delete(api + "/instances/" + id + "/", key, null));
                    if (r != null && r.status() == 200) destroyed.add(id);
                    else mine.add(id);
                }
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static Http.Response call(
            ConcurrentLinkedQueue<Outcome> outcomes, String what, java.util.function.Supplier<Http.Response> request) {
        long start = System.nanoTime();
        try {
            Http.Response r = request.get();
            outcomes.add(new Outcome(start, System.nanoTime(), what, r.status(), r.status() == 200 ? "" : r.body()));
            return r;
        } catch (RuntimeException | AssertionError e) {
            outcomes.add(new Outcome(start, System.nanoTime(), what, -1, e.toString()));
            return null;
        }
    }

    /** A machine's agent over HTTP: runs what it is told to run, stops what is stopped, removes what vanished. */
    private static void playAgent(TestAgent agent, AtomicBoolean running) {
        Map<Long, String> reported = new HashMap<>();
        while (running.get() && !Thread.currentThread().isInterrupted()) {
            try {
                SyncResponse state = agent.poll(2);
                Set<Long> desired = new HashSet<>();
                for (DesiredInstance d : state.instances()) {
                    desired.add(d.id());
                    String want = d.intendedStatus().equals("running") ? "running" : "exited";
                    if (!want.equals(reported.get(d.id()))) {
                        agent.report(d.id(), want);
                        reported.put(d.id(), want);
                    }
                }
                for (Long gone : new HashSet<>(reported.keySet()))
                    if (!desired.contains(gone)) {
                        agent.removed(gone);
                        reported.remove(gone);
                    }
            } catch (RuntimeException | AssertionError e) {
                // a replica went away under this sync: the next one goes through the balancer to another
                try {
                    Thread.sleep(200);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Waits for the load to get somewhere; if it does not, says what the requests through the balancer got. */
    private static void awaitExplained(
            ConcurrentLinkedQueue<Outcome> outcomes, Duration atMost, java.util.concurrent.Callable<Boolean> done) {
        try {
            await().atMost(atMost).until(done);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            threadDump();
            Map<String, Integer> counts = new java.util.TreeMap<>();
            List<String> details = new ArrayList<>();
            for (Outcome o : outcomes) {
                counts.merge(o.what() + " " + o.status(), 1, Integer::sum);
                if (o.status() != 200 && details.size() < 8)
                    details.add(o.what() + " " + o.status() + ": " + o.detail());
            }
            throw new AssertionError(
                    "the load did not get there in " + atMost + "; outcomes " + counts + ", first failures " + details,
                    e);
        }
    }

    /** This JVM's threads, virtual ones included, to a file named on stderr: what the load was waiting for. */
    private static void threadDump() {
        try {
            Path file = Files.createTempFile("balanced-replicas-threads", ".txt");
            Files.delete(file);
            java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
                    .dumpThreads(
                            file.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.TEXT_PLAIN);
            System.err.println("BalancedReplicasTest: threads dumped to " + file);
        } catch (IOException | RuntimeException e) {
            System.err.println("BalancedReplicasTest: no thread dump: " + e);
        }
    }

    private static Process startHaproxy(Path dir, int front, int[] ports) throws IOException {
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 2000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 90s
                    timeout server 90s
                    # a loaded test machine (load 20 on 2 cores) answers a check late: that must not take every replica out
                    # (a draining replica answers 503 at once, so this does not slow the drain's detection)
                    timeout check 10s
                    option redispatch
                    retries 3
                    retry-on conn-failure empty-response response-timeout 503
                frontend market
                """);
        cfg.append("    bind 127.0.0.1:").append(front).append('\n');
        cfg.append("""
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /readyz
                    http-check expect status 200
                    default-server inter 500ms fall 2 rise 1
                """);
        for (int k = 0; k < ports.length; k++)
            cfg.append("    server r")
                    .append(k)
                    .append(" 127.0.0.1:")
                    .append(ports[k])
                    .append(" check\n");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        String bin = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "/usr/bin/haproxy";
        return new ProcessBuilder(bin, "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
    }

    private static int status(String url) {
        try {
            return Http.get(url, null).status();
        } catch (RuntimeException | AssertionError e) {
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @SuppressWarnings("unused")
    private static boolean open(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
