package io.gpumarket.bench.replicas;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.Wire;
import io.gpumarket.bench.Environment;
import io.gpumarket.bench.Samples;
import io.gpumarket.bench.load.ErrorCounts;
import io.gpumarket.bench.load.LoadClients;
import io.gpumarket.bench.load.LoadedDatabase;
import io.gpumarket.bench.load.Renting;
import io.gpumarket.bench.load.ServerProcess;
import io.gpumarket.core.offer.OfferSlot;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several replicas on one PostgreSQL behind HAProxy (docs/high-availability.md): for 1, 2 and 3 replicas, each on a
 * fresh database holding a synthetic market, search requests per second through the balancer ({@code wrk}, the README's
 * quickstart search), committed rents per second through the balancer (whole-machine offers, as {@code bench/run.sh
 * rents}), and — with two replicas or more — the index propagation latency: a whole-machine offer rented on replica A,
 * the time from A's answer until replica B's search no longer shows the machine (B polled every 2 ms).
 */
public final class ReplicaLoad {
    private static final String USAGE = """
            usage: bench/run.sh replicas [options]
              --machines N        machines in the market (default 2000)
              --replicas LIST     replica counts, one run each (default 1,2,3)
              --clients C         concurrent renters, and wrk connections (default 16)
              --seconds S         measured seconds of search and of rents (default 10)
              --warmup S          unmeasured seconds before each (default 5)
              --samples N         propagation samples per run of two replicas or more (default 200)
              --server-jvm OPTS   JVM options of the replicas after ./gpumarket server's own, space-separated
            """;
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern P99 = Pattern.compile("99%\\s+(\\S+)");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private ReplicaLoad() {}

    /** What one replica count gave. */
    record Result(
            int replicas,
            double searchPerSecond,
            String searchP99,
            String searchNon2xx,
            String searchLoad,
            double rentsPerSecond,
            Samples rentLatency,
            ErrorCounts rentErrors,
            String rentLoad,
            Samples propagation,
            int propagationMissed,
            String propagationLoad) {}

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
        Path script = Path.of(System.getProperty("bench.wrk.script", "bench/wrk/search.lua"))
                .toAbsolutePath();
        if (!Files.isRegularFile(script)) throw new IllegalStateException(script + " is missing");
        List<Result> results = new ArrayList<>();
        for (int n : o.replicas) {
            System.err.printf(
                    "replicas: %d, %,d machines: loading the market… (%s)%n", n, o.machines, Environment.uptime());
            try (LoadedDatabase db = LoadedDatabase.create("postgresql", o.machines, null)) {
                List<ServerProcess> replicas = new ArrayList<>();
                try {
                    // every replica its own home, one instance key among them (docs/high-availability.md): the one
                    // the loading server made, which sealed the database's secrets
                    List<String> flags = List.of(
                            "--rate-limit",
                            "all=off",
                            "--instance-key-file",
                            db.home().resolve("instance-key.secret").toString());
                    for (int k = 0; k < n; k++)
                        replicas.add(ServerProcess.start(
                                Files.createDirectories(db.home().resolve("r" + k)), db.jdbcUrl(), o.serverJvm, flags));
                    try (Balancer lb = Balancer.start(
                            db.home(),
                            replicas.stream().map(ServerProcess::port).toList())) {
                        awaitReady(lb.baseUrl());
                        results.add(run(o, db, replicas, lb, script));
                        Result r = results.getLast();
                        System.err.printf(
                                Locale.ROOT,
                                "replicas: %d: search %,.0f req/s, rents %,.0f/s, propagation p50 %.1f ms p99 %.1f ms%n",
                                n,
                                r.searchPerSecond,
                                r.rentsPerSecond,
                                r.propagation.count() == 0 ? Double.NaN : r.propagation.p50Micros() / 1e3,
                                r.propagation.count() == 0 ? Double.NaN : r.propagation.p99Micros() / 1e3);
                    }
                } finally {
                    for (ServerProcess s : replicas) s.close();
                }
            }
        }
        String report = report(o, results);
        System.out.println(report);
        Path out = Path.of(System.getProperty("bench.out", "bench/target"));
        if (Files.isDirectory(out)) Files.writeString(out.resolve("replicas-" + o.machines + ".md"), report);
        System.exit(0);
    }

    private static Result run(Options o, LoadedDatabase db, List<ServerProcess> replicas, Balancer lb, Path script)
            throws Exception {
        String front = lb.baseUrl();
        String searchKey =
                Renting.newRenter(front, db.adminKey(), "searcher", 1).apiKey();

        // search through the balancer, with wrk (outside any JVM, so the load generator takes little CPU)
        List<String> wrk = List.of("wrk", "-t2", "-c" + o.clients, "--latency", "-s", script.toString());
        wrk(wrk, (int) o.warmup, front + "/api/v0/bundles/", searchKey);
        String searchLoad = Environment.loadAverages();
        String out = wrk(wrk, (int) o.seconds, front + "/api/v0/bundles/", searchKey);
        double searchRate = first(RATE, out).map(Double::parseDouble).orElse(Double.NaN);

        // the last offers are kept for the propagation samples, the rest are the renters'
        List<Long> offers = Renting.wholeMachineOffers(db.market(), 11);
        int kept = Math.min(o.samples, offers.size() / 2);
        List<Long> forPropagation = offers.subList(offers.size() - kept, offers.size());
        List<Long> forRents = offers.subList(0, offers.size() - kept);
        String rentLoad = Environment.loadAverages();
        RentRun rents = rents(o, db, front, forRents);

        Samples propagation = new Samples();
        int missed = 0;
        String propagationLoad = "";
        if (replicas.size() >= 2) {
            propagationLoad = Environment.loadAverages();
            Map<Long, Long> machineOf = new HashMap<>();
            for (OfferSlot s : db.market().slots()) machineOf.put(s.id(), s.machineId());
            String key = Renting.newRenter(front, db.adminKey(), "propagation", 1_000_000)
                    .apiKey();
            HttpClient http =
                    LoadClients.builder().connectTimeout(Duration.ofSeconds(10)).build();
            for (int i = 0; i < forPropagation.size(); i++) {
                ServerProcess a = replicas.get(i % replicas.size());
                ServerProcess b = replicas.get((i + 1) % replicas.size());
                long offer = forPropagation.get(i);
                long machine = machineOf.get(offer);
                // B must show the machine first, or its vanishing would measure nothing
                if (shown(http, b.baseUrl(), key, machine) == 0) {
                    missed++;
                    continue;
                }
                Renting.Outcome r = Renting.rent(http, a.baseUrl(), key, offer, Duration.ofSeconds(30));
                long answered = System.nanoTime();
                if (!r.committed()) {
                    missed++;
                    continue;
                }
                long deadline = answered + 30_000_000_000L;
                boolean gone = false;
                while (System.nanoTime() < deadline) {
                    if (shown(http, b.baseUrl(), key, machine) == 0) {
                        gone = true;
                        break;
                    }
                    Thread.sleep(2);
                }
                if (gone) propagation.add(System.nanoTime() - answered);
                else missed++;
            }
            http.shutdownNow();
        }
        return new Result(
                replicas.size(),
                searchRate,
                first(P99, out).orElse("?"),
                first(NON2XX, out).orElse("0"),
                searchLoad,
                rents.perSecond,
                rents.latency,
                rents.errors,
                rentLoad,
                propagation,
                missed,
                propagationLoad);
    }

    private record RentRun(double perSecond, Samples latency, ErrorCounts errors) {}

    /**
     * C renters, each with its own account and its own whole-machine offers (no lost races), back to back through the
     * balancer: an unmeasured warm-up, then the measured seconds; only committed contracts count.
     */
    private static RentRun rents(Options o, LoadedDatabase db, String front, List<Long> offers) throws Exception {
        List<String> keys = new ArrayList<>();
        for (int c = 0; c < o.clients; c++)
            keys.add(Renting.newRenter(front, db.adminKey(), "renter" + c, 10_000_000)
                    .apiKey());
        HttpClient http =
                LoadClients.builder().connectTimeout(Duration.ofSeconds(10)).build();
        long start = System.nanoTime();
        long from = start + (long) (o.warmup * 1e9);
        long to = from + (long) (o.seconds * 1e9);
        LongAdder committed = new LongAdder();
        ErrorCounts errors = new ErrorCounts();
        Samples latency = new Samples();
        AtomicInteger next = new AtomicInteger();
        long[] ranOutAt = {Long.MAX_VALUE};
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < o.clients; c++) {
                String key = keys.get(c);
                threads.submit(() -> {
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= to) return null;
                        int i = next.getAndIncrement();
                        if (i >= offers.size()) {
                            synchronized (ranOutAt) {
                                ranOutAt[0] = Math.min(ranOutAt[0], t0);
                            }
                            return null;
                        }
                        try {
                            Renting.Outcome r = Renting.rent(http, front, key, offers.get(i), Duration.ofSeconds(60));
                            long t1 = System.nanoTime();
                            if (!r.committed()) errors.status(r.status(), r.error());
                            else if (t0 >= from && t1 <= to) {
                                committed.increment();
                                synchronized (latency) {
                                    latency.add(t1 - t0);
                                }
                            }
                        } catch (IOException e) {
                            errors.failure(e);
                        }
                    }
                });
            }
        }
        http.shutdownNow();
        long end = Math.min(to, ranOutAt[0]);
        if (end <= from) throw new IllegalStateException("the offers ran out in the warm-up: use more --machines");
        return new RentRun(committed.sum() / ((end - from) / 1e9), latency, errors);
    }

    /** How many offers of {@code machine} the replica's search shows. */
    private static int shown(HttpClient http, String baseUrl, String key, long machine)
            throws IOException, InterruptedException {
        HttpRequest q = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v0/bundles/"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"machine_id\": {\"eq\": " + machine + "}}"))
                .build();
        HttpResponse<String> r = http.send(q, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200)
            throw new IllegalStateException("search answered " + r.statusCode() + ": " + r.body());
        JsonNode offers = Wire.mapper().readTree(r.body()).path("offers");
        return offers.size();
    }

    private static void awaitReady(String front) throws InterruptedException {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            try {
                if (http.send(
                                        HttpRequest.newBuilder(URI.create(front + "/readyz"))
                                                .timeout(Duration.ofSeconds(5))
                                                .build(),
                                        HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) return;
            } catch (IOException e) {
                // HAProxy not listening yet, or no replica checked up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("HAProxy did not answer /readyz within 60 s");
    }

    private static String wrk(List<String> base, int seconds, String url, String key)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(base);
        argv.add(1, "-d" + Math.max(1, seconds) + "s");
        argv.add(url);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("GPUMARKET_API_KEY", key);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        return out;
    }

    private static java.util.Optional<String> first(Pattern p, String text) {
        Matcher m = p.matcher(text);
        return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
    }

    private static String report(Options o, List<Result> results) {
        StringBuilder r = new StringBuilder();
        r.append(String.format(
                Locale.ROOT, "## Replicas behind HAProxy: %,d-machine market on PostgreSQL%n%n", o.machines));
        r.append("- machine: ").append(Environment.machine()).append('\n');
        r.append(String.format(
                Locale.ROOT,
                "- each run: a fresh database and N replica processes (JVM options: %s) behind HAProxy (round robin, "
                        + "/readyz checks); search: `wrk -t2 -c%d -d%.0fs` with bench/wrk/search.lua after a %.0f s "
                        + "unmeasured run; rents: %d renters back to back on whole-machine offers, %.0f s warm-up then "
                        + "%.0f s measured; propagation: up to %d rents on replica A, each timed from A's answer until "
                        + "replica B's search no longer shows the machine (B polled every 2 ms)%n%n",
                String.join(" ", ServerProcess.jvmOptions(o.serverJvm)),
                o.clients,
                o.seconds,
                o.warmup,
                o.clients,
                o.warmup,
                o.seconds,
                o.samples));
        r.append(
                "| replicas | search req/s | search p99 | non-2xx | load (search) | rents/s | rent p50 ms | rent p99 ms "
                        + "| rent errors | load (rents) | propagation samples | p50 ms | p99 ms | max ms | load (propagation) |\n");
        r.append("|--:|--:|--:|--:|---|--:|--:|--:|---|---|--:|--:|--:|--:|---|\n");
        for (Result x : results) {
            boolean p = x.propagation.count() > 0;
            r.append(String.format(
                    Locale.ROOT,
                    "| %d | %,.0f | %s | %s | %s | %,.0f | %.1f | %.1f | %s | %s | %s | %s | %s | %s | %s |%n",
                    x.replicas,
                    x.searchPerSecond,
                    x.searchP99,
                    x.searchNon2xx,
                    x.searchLoad,
                    x.rentsPerSecond,
                    x.rentLatency.count() == 0 ? Double.NaN : x.rentLatency.p50Micros() / 1e3,
                    x.rentLatency.count() == 0 ? Double.NaN : x.rentLatency.p99Micros() / 1e3,
                    x.rentErrors.total() == 0 ? "0" : x.rentErrors.total() + ": " + x.rentErrors.summary(),
                    x.rentLoad,
                    x.replicas < 2
                            ? "—"
                            : x.propagation.count()
                                    + (x.propagationMissed > 0 ? " (" + x.propagationMissed + " missed)" : ""),
                    p ? String.format(Locale.ROOT, "%.1f", x.propagation.p50Micros() / 1e3) : "—",
                    p ? String.format(Locale.ROOT, "%.1f", x.propagation.p99Micros() / 1e3) : "—",
                    p ? String.format(Locale.ROOT, "%.1f", x.propagation.percentileMicros(100) / 1e3) : "—",
                    x.replicas < 2 ? "—" : x.propagationLoad));
        }
        return r.toString();
    }

    private record Options(
            int machines,
            List<Integer> replicas,
            int clients,
            double seconds,
            double warmup,
            int samples,
            List<String> serverJvm) {
        static Options parse(String[] args) {
            int machines = 2000;
            List<Integer> replicas = List.of(1, 2, 3);
            int clients = 16;
            double seconds = 10;
            double warmup = 5;
            int samples = 200;
            List<String> jvm = List.of();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException("");
                if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
                String v = args[++i];
                switch (a) {
                    case "--machines" -> machines = Integer.parseInt(v);
                    case "--replicas" ->
                        replicas = java.util.Arrays.stream(v.split(","))
                                .map(String::trim)
                                .map(Integer::parseInt)
                                .toList();
                    case "--clients" -> clients = Integer.parseInt(v);
                    case "--seconds" -> seconds = Double.parseDouble(v);
                    case "--warmup" -> warmup = Double.parseDouble(v);
                    case "--samples" -> samples = Integer.parseInt(v);
                    case "--server-jvm" ->
                        jvm = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (machines < 10
                    || clients < 1
                    || seconds <= 0
                    || warmup < 0
                    || samples < 0
                    || replicas.isEmpty()
                    || replicas.stream().anyMatch(n -> n < 1)) {
                throw new IllegalArgumentException(
                        "--machines >= 10; --clients, --seconds, --replicas positive; --warmup, --samples >= 0");
            }
            return new Options(machines, replicas, clients, seconds, warmup, samples, jvm);
        }
    }
}
