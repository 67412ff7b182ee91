package io.gpumarket.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gpumarket.core.catalog.GpuCatalog;
import io.gpumarket.core.search.OfferIndex;
import io.gpumarket.testkit.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the whole benchmark in one JVM and prints a Markdown report: the synthetic market, the four queries on
 * the in-memory index and as indexed SQL on PostgreSQL over the same offers (after checking that both return
 * the same offer ids), and the quickstart query over HTTP against a real server whose store holds the same
 * market. {@code jmh …} instead hands the arguments to JMH ({@link OfferIndexBenchmark}).
 */
public final class BenchMain {
    private static final String USAGE = """
            usage: java -jar gpumarket-bench.jar [options]     the full benchmark, Markdown report on stdout
                   java -jar gpumarket-bench.jar jmh [JMH options]   JMH on the in-process queries (e.g. -f 1 -wi 3 -i 5)
            options:
              --machines N        synthetic machines (default 100000)
              --seed N            market seed (default %d)
              --index-runs N      timed in-process runs per query, at least (default 2000; also at least 2 s)
              --index-warmup S    seconds of in-process warm-up per query (default 3)
              --pg-runs N         timed PostgreSQL runs per query (default 500)
              --pg-warmup N       PostgreSQL warm-up runs per query (default 50)
              --http-clients N    concurrent HTTP clients (default 8)
              --http-seconds S    measured HTTP seconds (default 10, after 3 s of warm-up)
              --server-db KIND    sqlite (default) or postgresql: the HTTP server's store
              --no-http           skip the HTTP part
              --out FILE          also write the report there
            PostgreSQL: a throwaway cluster from the installed binaries, or the server at $%s.
            """.formatted(SyntheticMarket.DEFAULT_SEED, PostgresCluster.URL_ENV);

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (o == null) {
            System.out.print(USAGE);
            return;
        }
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
        Report report = new Report();
        boolean agree = run(o, report);
        String md = report.markdown();
        System.out.println(md);
        if (o.out != null) Files.writeString(o.out, md);
        if (!agree) {
            System.err.println(
                    "bench: the engines returned different offers (see 'same ids'); the figures compare different answers");
            System.exit(1);
        }
    }

    private static boolean run(Options o, Report report) throws Exception {
        report.setup.add("Machine: " + Environment.machine());
        report.setup.add("JVM: " + Environment.jvm());
        report.setup.add("Load at start (`uptime`): " + Environment.uptime());

        progress("generating %,d machines (seed %d)…", o.machines, o.seed);
        GpuCatalog catalog = GpuCatalog.load();
        long t0 = System.nanoTime();
        SyntheticMarket market = SyntheticMarket.generate(o.seed, o.machines, SyntheticMarket.NOW);
        long t1 = System.nanoTime();
        OfferIndex index = market.index(catalog);
        long t2 = System.nanoTime();
        report.setup.add(String.format(
                Locale.ROOT,
                "Market: %,d machines of %,d hosts, %,d offers (seed %d); generated in "
                        + "%,d ms, index built in %,d ms",
                market.machines().size(),
                market.hosts(),
                index.size(),
                o.seed,
                (t1 - t0) / 1_000_000,
                (t2 - t1) / 1_000_000));

        progress("starting PostgreSQL and loading %,d offers…", market.slots().size());
        boolean agree = true;
        try (Connection pg = DriverManager.getConnection(PostgresCluster.get().newDatabase())) {
            PostgresBaseline baseline = new PostgresBaseline(pg);
            PostgresBaseline.Loaded loaded = baseline.load(market, catalog);
            report.setup.add(String.format(
                    Locale.ROOT,
                    "PostgreSQL %s (local, same machine, default settings, fsync off): "
                            + "one table of %,d offers, COPY %,d ms, %d b-tree indexes %,d ms, VACUUM ANALYZE %,d ms",
                    baseline.serverVersion(),
                    loaded.rows(),
                    loaded.copyMillis(),
                    PostgresBaseline.INDEXES.size(),
                    loaded.indexMillis(),
                    loaded.analyzeMillis()));

            IndexHarness harness = new IndexHarness(
                    index,
                    market.now(),
                    new IndexHarness.Settings(o.indexWarmupSeconds * 1_000_000_000L, o.indexRuns, 2_000_000_000L));
            // Each query on both engines back to back, so that both meet the same background load.
            for (BenchQuery q : BenchQueries.ALL) {
                progress("index: %s…", q.name());
                IndexHarness.Result idx = harness.measure(q);
                progress("PostgreSQL: %s…", q.name());
                PostgresBaseline.Result sql = baseline.measure(q, market.now(), o.pgWarmup, o.pgRuns);
                boolean same = sql.ids().equals(idx.ids());
                if (!same) {
                    agree = false;
                    System.err.printf("bench: %s: index ids %s%n       SQL ids   %s%n", q.name(), idx.ids(), sql.ids());
                }
                Map<String, Object> explain = q.dsl();
                explain.put("explain", true);
                int matching = harness.search(explain).explain().matched();
                report.queries.add(new Report.QueryRow(
                        q, matching, idx, sql, same, baseline.explain(q, market.now()), Environment.loadAverages()));
            }
            report.indexNote = String.format(
                    Locale.ROOT,
                    "Index: parse + search + render the page (as the search route does, "
                            + "without the JSON encoding), one thread, %d s warm-up per query, then at least %,d runs and 2 s (%s runs).",
                    o.indexWarmupSeconds,
                    o.indexRuns,
                    indexRuns(report.queries));
            report.pgNote = String.format(
                    Locale.ROOT,
                    "PostgreSQL: one connection, the prepared statement run and every column "
                            + "of every row read, %d warm-up runs, then %,d timed runs per query. Load: the load average "
                            + "(1, 5, 15 min) right after the query's two measurements.",
                    o.pgWarmup,
                    o.pgRuns);
        }

        if (o.http) {
            progress("HTTP: loading the market into a %s store…", o.serverDb);
            String jdbcUrl =
                    o.serverDb.equals("postgresql") ? PostgresCluster.get().newDatabase() : null;
            try (BenchServer server = BenchServer.start(market, jdbcUrl)) {
                HttpLoad load = new HttpLoad(server.baseUrl(), server.renterKey(), BenchQueries.QUICKSTART.json());
                JsonNode page = new ObjectMapper().readTree(load.once()).get("offers");
                List<Long> httpIds = new ArrayList<>();
                page.forEach(offer -> httpIds.add(offer.get("id").asLong()));
                List<Long> inProcess = report.queries.stream()
                        .filter(r -> r.query() == BenchQueries.QUICKSTART)
                        .findFirst()
                        .orElseThrow()
                        .index()
                        .ids();
                boolean same = httpIds.equals(inProcess);
                if (!same) {
                    agree = false;
                    System.err.printf(
                            "bench: HTTP quickstart ids %s%n       in-process ids   %s%n", httpIds, inProcess);
                }
                // One client first: the latency of a request with nobody queueing in front of it.
                int single = Math.min(5, o.httpSeconds);
                progress("HTTP: 1 client for %d s after 3 s warm-up…", single);
                HttpLoad.Result alone = load.run(1, Duration.ofSeconds(3), Duration.ofSeconds(single));
                progress("HTTP: %d clients for %d s after 1 s warm-up…", o.httpClients, o.httpSeconds);
                HttpLoad.Result loaded =
                        load.run(o.httpClients, Duration.ofSeconds(1), Duration.ofSeconds(o.httpSeconds));
                report.http = new Report.HttpRow(
                        server.database(),
                        server.loaded(),
                        server.loadMillis(),
                        server.indexedOffers(),
                        same,
                        List.of(alone, loaded),
                        Environment.loadAverages());
            }
        }
        report.setup.add("Load at end (`uptime`): " + Environment.uptime());
        return agree;
    }

    private static String indexRuns(List<Report.QueryRow> rows) {
        return String.join(
                " / ",
                rows.stream()
                        .map(r -> String.format(
                                Locale.ROOT, "%,d", r.index().samples().count()))
                        .toList());
    }

    private static void progress(String format, Object... args) {
        System.err.printf("bench: " + format + "%n", args);
    }

    /** Command-line options; null from {@link #parse} means help was asked for. */
    private static final class Options {
        int machines = 100_000;
        long seed = SyntheticMarket.DEFAULT_SEED;
        int indexRuns = 2_000;
        int indexWarmupSeconds = 3;
        int pgRuns = 500;
        int pgWarmup = 50;
        int httpClients = 8;
        int httpSeconds = 10;
        String serverDb = "sqlite";
        boolean http = true;
        Path out;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        return null;
                    }
                    case "--no-http" -> o.http = false;
                    case "--machines" -> o.machines = positive(a, value(args, ++i, a));
                    case "--seed" -> o.seed = Long.parseLong(value(args, ++i, a));
                    case "--index-runs" -> o.indexRuns = positive(a, value(args, ++i, a));
                    case "--index-warmup" -> o.indexWarmupSeconds = positive(a, value(args, ++i, a));
                    case "--pg-runs" -> o.pgRuns = positive(a, value(args, ++i, a));
                    case "--pg-warmup" -> o.pgWarmup = positive(a, value(args, ++i, a));
                    case "--http-clients" -> o.httpClients = positive(a, value(args, ++i, a));
                    case "--http-seconds" -> o.httpSeconds = positive(a, value(args, ++i, a));
                    case "--server-db" -> {
                        o.serverDb = value(args, ++i, a);
                        if (!o.serverDb.equals("sqlite") && !o.serverDb.equals("postgresql")) {
                            throw new IllegalArgumentException(
                                    "--server-db must be sqlite or postgresql, got " + o.serverDb);
                        }
                    }
                    case "--out" -> o.out = Path.of(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            return o;
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
            return args[i];
        }

        private static int positive(String option, String text) {
            try {
                int n = Integer.parseInt(text);
                if (n > 0) return n;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " must be a positive whole number, got " + text);
        }
    }
}
