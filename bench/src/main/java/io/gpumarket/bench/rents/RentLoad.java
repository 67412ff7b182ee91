package io.gpumarket.bench.rents;

import io.gpumarket.bench.Environment;
import io.gpumarket.bench.Samples;
import io.gpumarket.bench.load.ErrorCounts;
import io.gpumarket.bench.load.LoadClients;
import io.gpumarket.bench.load.LoadedDatabase;
import io.gpumarket.bench.load.PostgresProcesses;
import io.gpumarket.bench.load.ProcStats;
import io.gpumarket.bench.load.Renting;
import io.gpumarket.bench.load.ServerProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durable rentals per second: C clients (one virtual thread each, keep-alive) rent whole-machine offers of a fresh
 * synthetic market through {@code PUT /api/v0/asks/{offer}/}, back to back, against a real server process. Each
 * client has its own renter account and its own offers (offer ids are single use, and a whole-machine offer shares
 * GPUs with no other client's), so every refusal is the server's, not a lost race. Only committed contracts count:
 * HTTP 200 with {@code new_contract}. Every client count gets a fresh database and server, so each run starts from
 * the same market; the measured period ends early when the first client runs out of offers, so concurrency stays C
 * throughout.
 */
public final class RentLoad {
    private static final String USAGE = """
            usage: bench/run.sh rents [options]
              --machines N        machines in the market (default 10000)
              --clients LIST      concurrent clients, one run each, e.g. 8,64 (default 8,64)
              --seconds S         measured seconds at most (default 10; less when offers run out)
              --warmup S          unmeasured seconds first (default 10), cut short when half the offers are rented
              --db KIND           sqlite (default) or postgresql (a throwaway cluster)
              --server-jvm OPTS   JVM options of the server process after ./gpumarket server's own, space-separated
            """;

    private RentLoad() {}

    /** What one client count gave. */
    record Result(
            int clients,
            double seconds,
            long committed,
            Samples latency,
            ErrorCounts errors,
            double serverCpu,
            double pgCpu,
            long rssMb,
            int offers,
            String loadBefore,
            String loadAfter,
            boolean ranOut) {}

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        List<Result> results = new ArrayList<>();
        double load = 0;
        for (int clients : o.clients) {
            System.err.printf(
                    "rents: %,d machines, %s, %d clients: loading the market… (%s)%n",
                    o.machines, o.db, clients, Environment.uptime());
            try (LoadedDatabase db = LoadedDatabase.create(o.db, o.machines, null)) {
                load = db.loadMillis() / 1e3;
                // Rate limits off: a renter key may rent 120 times a minute by default, so 8 clients were held to
                // 16 rents/s (answered 429) as soon as the server was faster than that.
                try (ServerProcess server =
                        ServerProcess.start(db.home(), db.jdbcUrl(), o.serverJvm, List.of("--rate-limit", "all=off"))) {
                    results.add(run(o, db, server, clients));
                    Result r = results.getLast();
                    System.err.printf(
                            Locale.ROOT,
                            "rents: %d clients: %,.0f rents/s, p50 %.1f ms, p99 %.1f ms, errors %s%n",
                            clients,
                            r.committed / r.seconds,
                            r.latency.p50Micros() / 1e3,
                            r.latency.p99Micros() / 1e3,
                            r.errors.summary());
                }
            }
        }
        String report = report(o, results, load);
        System.out.println(report);
        Path out = Path.of(System.getProperty("bench.out", "bench/target"));
        if (Files.isDirectory(out)) Files.writeString(out.resolve("rents-" + o.db + "-" + o.machines + ".md"), report);
        System.exit(0);
    }

    private static Result run(Options o, LoadedDatabase db, ServerProcess server, int clients) throws Exception {
        List<Long> offers = Renting.wholeMachineOffers(db.market(), 11);
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < clients; c++)
            keys.add(Renting.newRenter(server.baseUrl(), db.adminKey(), "renter" + c, 10_000_000)
                    .apiKey());
        HttpClient[] https = new HttpClient[Math.min(clients, 8)];
        for (int i = 0; i < https.length; i++) {
            https[i] =
                    LoadClients.builder().connectTimeout(Duration.ofSeconds(10)).build();
        }
        PostgresProcesses pg = db.postgres();
        String before = Environment.uptime();
        long start = System.nanoTime();
        // The warm-up lets the server's JIT compile the rent path (3 s gave a tenth of the steady rate on a loaded
        // machine); a fast server would use up the offers in it, so it ends when half of them are rented.
        long measured = (long) (o.seconds * 1e9);
        AtomicLong measureFrom = new AtomicLong(start + (long) (o.warmup * 1e9));
        AtomicLong measureTo = new AtomicLong(measureFrom.get() + measured);
        AtomicLong attempted = new AtomicLong();
        LongAdder committed = new LongAdder();
        ErrorCounts errors = new ErrorCounts();
        Samples latency = new Samples();
        long[] cpuAt = {-1, -1};
        boolean[] ranOut = {false};
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                threads.submit(() -> {
                    HttpClient http = https[client % https.length];
                    for (int i = client; i < offers.size(); i += clients) {
                        long t0 = System.nanoTime();
                        if (t0 >= measureTo.get()) return null;
                        if (attempted.incrementAndGet() == offers.size() / 2 && t0 < measureFrom.get()) {
                            synchronized (measureFrom) {
                                measureFrom.set(t0);
                                measureTo.set(t0 + measured);
                            }
                        }
                        try {
                            Renting.Outcome r = Renting.rent(
                                    http, server.baseUrl(), keys.get(client), offers.get(i), Duration.ofSeconds(60));
                            long t1 = System.nanoTime();
                            boolean inWindow = t0 >= measureFrom.get() && t1 <= measureTo.get();
                            if (!r.committed()) errors.status(r.status(), r.error());
                            else if (inWindow) {
                                committed.increment();
                                synchronized (latency) {
                                    latency.add(t1 - t0);
                                }
                            }
                        } catch (IOException e) {
                            errors.failure(e);
                        }
                    }
                    // out of offers: end the measured period here, so that concurrency stays the same throughout
                    long now = System.nanoTime();
                    if (now > measureFrom.get()) {
                        measureTo.accumulateAndGet(now, Math::min);
                        ranOut[0] = true;
                    }
                    return null;
                });
            }
            // the server's CPU over the measured period
            while (System.nanoTime() < measureFrom.get()) Thread.sleep(20);
            cpuAt[0] = server.cpuTicks();
            cpuAt[1] = pg == null ? 0 : pg.cpuTicks();
            while (System.nanoTime() < measureTo.get()) Thread.sleep(50);
        }
        long measuredNanos = measureTo.get() - measureFrom.get();
        double cpu = ProcStats.percentOfCore(server.cpuTicks() - cpuAt[0], System.nanoTime() - measureFrom.get());
        double pgCpu = pg == null
                ? Double.NaN
                : ProcStats.percentOfCore(pg.cpuTicks() - cpuAt[1], System.nanoTime() - measureFrom.get());
        for (HttpClient h : https) h.shutdownNow();
        return new Result(
                clients,
                measuredNanos / 1e9,
                committed.sum(),
                latency,
                errors,
                cpu,
                pgCpu,
                server.rssKb()[0] / 1024,
                offers.size(),
                before,
                Environment.uptime(),
                ranOut[0]);
    }

    private static String report(Options o, List<Result> results, double loadSeconds) {
        StringBuilder r = new StringBuilder();
        r.append(String.format(
                Locale.ROOT, "## Rents: %,d-machine market on %s%n%n", o.machines, results.isEmpty() ? o.db : o.db));
        r.append("- machine: ").append(Environment.machine()).append('\n');
        r.append(String.format(
                Locale.ROOT,
                "- each run: a fresh database (market loaded in %.1f s) and server process (JVM options: %s); "
                        + "up to %.0f s of warm-up (less if half the offers went in it), then up to %.0f s measured; whole-machine offers, the README's create body%n%n",
                loadSeconds,
                String.join(" ", ServerProcess.jvmOptions(o.serverJvm)),
                o.warmup,
                o.seconds));
        r.append(
                "| clients | offers | measured s | committed | rents/s | p50 ms | p99 ms | max ms | errors | server CPU % | PostgreSQL CPU % | server RSS MiB | load before | load after |\n");
        r.append("|--:|--:|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|---|---|\n");
        for (Result x : results) {
            r.append(String.format(
                    Locale.ROOT,
                    "| %d | %,d | %.1f%s | %,d | %,.0f | %.1f | %.1f | %.1f | %s | %.0f | %s | %,d | %s | %s |%n",
                    x.clients,
                    x.offers,
                    x.seconds,
                    x.ranOut ? " (offers ran out)" : "",
                    x.committed,
                    x.committed / x.seconds,
                    x.latency.p50Micros() / 1e3,
                    x.latency.p99Micros() / 1e3,
                    x.latency.percentileMicros(100) / 1e3,
                    x.errors.total() == 0 ? "0" : x.errors.total() + ": " + x.errors.summary(),
                    x.serverCpu,
                    Double.isNaN(x.pgCpu) ? "" : String.format(Locale.ROOT, "%.0f", x.pgCpu),
                    x.rssMb,
                    loadOnly(x.loadBefore),
                    loadOnly(x.loadAfter)));
        }
        return r.toString();
    }

    private static String loadOnly(String uptime) {
        int i = uptime.indexOf("load average:");
        return i < 0 ? uptime : uptime.substring(i + "load average:".length()).strip();
    }

    private record Options(
            int machines, List<Integer> clients, double seconds, double warmup, String db, List<String> serverJvm) {
        static Options parse(String[] args) {
            int machines = 10_000;
            List<Integer> clients = List.of(8, 64);
            double seconds = 10;
            double warmup = 10;
            String db = "sqlite";
            List<String> jvm = List.of();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException("");
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--machines" -> machines = Integer.parseInt(v);
                    case "--clients" ->
                        clients = java.util.Arrays.stream(v.split(","))
                                .map(String::trim)
                                .map(Integer::parseInt)
                                .toList();
                    case "--seconds" -> seconds = Double.parseDouble(v);
                    case "--warmup" -> warmup = Double.parseDouble(v);
                    case "--db" -> db = v;
                    case "--server-jvm" ->
                        jvm = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (machines < 1
                    || seconds <= 0
                    || warmup < 0
                    || clients.isEmpty()
                    || clients.stream().anyMatch(c -> c < 1)) {
                throw new IllegalArgumentException("--machines, --seconds, --clients must be positive, --warmup >= 0");
            }
            if (!db.equals("sqlite") && !db.equals("postgresql"))
                throw new IllegalArgumentException("--db must be sqlite or postgresql");
            return new Options(machines, clients, seconds, warmup, db, jvm);
        }
    }
}
