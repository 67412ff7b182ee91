package io.gpumarket.bench;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.testkit.PostgresCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small closed-loop rent load (issue 14's rents/s figures, before the bench module's own driver exists): a server on
 * the synthetic market, one renter with plenty of credit, and N clients on virtual threads that each rent whole-machine
 * offers (no two clients want the same machine) one after another over HTTP. Only 200 answers (committed contracts)
 * count. Each client count runs on the same server for a warm-up and a measured period; the offers are shuffled so
 * rents spread over every GPU model.
 *
 * <p>Run: {@code java -cp bench/target/gpumarket-bench.jar:bench/target/test-classes io.gpumarket.bench.RentProbe
 * MACHINES [sqlite|postgresql] [clients,…] [seconds]}.
 */
public final class RentProbe {
    private RentProbe() {}

    public static void main(String[] args) throws Exception {
        int machines = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        String db = args.length > 1 ? args[1] : "sqlite";
        String[] clientCounts = (args.length > 2 ? args[2] : "8,64").split(",");
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        // A home already holding the market (MarketFile) and its admin key skip the load: a 100k market loads slowly
        // here.
        Path given = args.length > 5 ? Path.of(args[4]) : null;
        SyntheticMarket market = given == null ? SyntheticMarket.generate(machines) : null;
        long now = market == null ? SyntheticMarket.NOW : market.now();
        Path home = given != null ? given : Files.createTempDirectory("gpumarket-rentprobe");
        ServerConfig config = ServerConfig.defaults(home)
                .withListen("127.0.0.1", 0)
                .withClock(Clock.fixed(Instant.ofEpochSecond(now), ZoneOffset.UTC));
        if (db.equals("postgresql"))
            config = config.withDatabase(PostgresCluster.get().newDatabase(), null, null);
        try (ServerApp app = ServerApp.start(config)) {
            String adminKey =
                    given != null ? args[5] : app.bootstrapAdmin().orElseThrow().secret();
            long t0 = System.nanoTime();
            if (market != null) {
                StoreLoader.load(app.store(), market);
                app.market().rebuild();
            }
            System.err.printf(
                    "rentprobe: %,d machines loaded in %,d ms (%s)%n",
                    machines, (System.nanoTime() - t0) / 1_000_000, app.store().dialect());
            String base = "http://127.0.0.1:" + app.port();
            GpuMarketClient admin = new GpuMarketClient(base, adminKey);
            Map<String, Object> renter = admin.adminCreateUser("renter@probe.invalid", "probe-renter", false);
            @SuppressWarnings("unchecked")
            long renterId = ((Number) ((Map<String, Object>) renter.get("user")).get("id")).longValue();
            admin.adminAddCredit(renterId, 10_000_000, "probe", "probe-credit");
            String key = (String) renter.get("api_key");

            Map<Long, Machine> byId = new HashMap<>();
            for (Machine m : app.store().repos().machines().all()) byId.put(m.id(), m);
            List<Long> whole = new ArrayList<>();
            for (OfferSlot s : app.store().repos().offers().active()) {
                Machine m = byId.get(s.machineId());
                if (m != null && m.listed() && s.numGpus() == m.freeGpus()) whole.add(s.id());
            }
            Collections.shuffle(whole, new Random(7));
            ConcurrentLinkedQueue<Long> offers = new ConcurrentLinkedQueue<>(whole);
            System.err.printf("rentprobe: %,d whole-machine offers%n", whole.size());
            System.out.println("| market | db | clients | rents/s | p50 ms | p99 ms | refused | load (uptime) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (String c : clientCounts) {
                int clients = Integer.parseInt(c.trim());
                Result r = run(base, key, offers, clients, Duration.ofSeconds(2), Duration.ofSeconds(seconds));
                System.out.printf(
                        Locale.ROOT,
                        "| %,d | %s | %d | %,.0f | %.1f | %.1f | %d%s | %s |%n",
                        machines,
                        app.store().dialect(),
                        clients,
                        r.samples.count() / (double) seconds,
                        r.samples.p50Micros() / 1e3,
                        r.samples.p99Micros() / 1e3,
                        r.refused.get(),
                        offers.isEmpty() ? " (ran out of offers)" : "",
                        Environment.uptime());
            }
            System.err.printf("rentprobe: RSS after load %s kB%n", rss());
        } finally {
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private record Result(Samples samples, AtomicLong refused) {}

    private static Result run(
            String base,
            String key,
            ConcurrentLinkedQueue<Long> offers,
            int clients,
            Duration warmup,
            Duration measured)
            throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        AtomicLong refused = new AtomicLong();
        List<Future<Samples>> workers = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                workers.add(threads.submit(() -> {
                    Samples s = new Samples();
                    Long offer;
                    while (System.nanoTime() < end && (offer = offers.poll()) != null) {
                        HttpRequest rq = HttpRequest.newBuilder(URI.create(base + "/api/v0/asks/" + offer + "/"))
                                .header("Authorization", "Bearer " + key)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"image\": \"busybox\", \"disk\": 8}"))
                                .build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> rs = http.send(rq, HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        if (rs.statusCode() != 200) {
                            if (refused.incrementAndGet() <= 3)
                                System.err.println("rentprobe: " + rs.statusCode() + " " + rs.body());
                        } else if (t0 >= measureFrom && t1 <= end) {
                            s.add(t1 - t0);
                        }
                    }
                    return s;
                }));
            }
        }
        Samples all = new Samples();
        for (Future<Samples> w : workers) all.addAll(w.get());
        return new Result(all, refused);
    }

    private static String rss() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return line.substring(6).trim();
        }
        return "?";
    }
}
