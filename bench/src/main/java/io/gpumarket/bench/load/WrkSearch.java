package io.gpumarket.bench.load;

import io.gpumarket.bench.Environment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP throughput measured from outside the JVM with {@code wrk}: the README's quickstart search
 * ({@code bench/wrk/search.lua}) against a static route of the same server process ({@code GET
 * /api/v0/gpu_names/unique/}: public, no database, a few hundred bytes), one after the other in the same run, so the
 * search's share of the server's ceiling is measured under the same load of the machine. The server is a separate
 * process holding a synthetic market.
 */
public final class WrkSearch {
    private static final String USAGE = """
            usage: bench/run.sh wrk [options]
              --machines N        machines in the market (default 100000)
              --db KIND           sqlite (default) or postgresql
              --connections C     wrk connections (default 64)
              --threads T         wrk threads (default 2)
              --seconds S         each wrk run (default 15)
              --warmup S          each unmeasured run before them, two of each route (default 10)
              --server-jvm OPTS   JVM options of the server process after ./gpumarket server's own
            """;
    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern LATENCY = Pattern.compile("Latency\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");
    private static final Pattern P99 = Pattern.compile("99%\\s+(\\S+)");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET = Pattern.compile("Socket errors:\\s*(.*)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");

    private WrkSearch() {}

    public static void main(String[] args) throws Exception {
        int machines = 100_000;
        String db = "sqlite";
        int connections = 64;
        int threads = 2;
        int seconds = 15;
        int warmup = 10;
        List<String> jvm = List.of();
        try {
            for (int i = 0; i < args.length; i++) {
                if (args[i].equals("--help") || i + 1 >= args.length)
                    throw new IllegalArgumentException(args[i].equals("--help") ? "" : args[i] + " needs a value");
                String v = args[++i];
                switch (args[i - 1]) {
                    case "--machines" -> machines = Integer.parseInt(v);
                    case "--db" -> db = v;
                    case "--connections" -> connections = Integer.parseInt(v);
                    case "--threads" -> threads = Integer.parseInt(v);
                    case "--seconds" -> seconds = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--server-jvm" ->
                        jvm = v.isBlank() ? List.of() : List.of(v.trim().split("\\s+"));
                    default -> throw new IllegalArgumentException("unknown option " + args[i - 1]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
        Path script = Path.of(System.getProperty("bench.wrk.script", "bench/wrk/search.lua"))
                .toAbsolutePath();
        if (!Files.isRegularFile(script)) throw new IllegalStateException(script + " is missing");
        System.err.printf("wrk: %,d machines, %s: loading the market… (%s)%n", machines, db, Environment.uptime());
        StringBuilder r = new StringBuilder();
        try (LoadedDatabase data = LoadedDatabase.create(db, machines, null);
                // Rate limits off: by default a key gets a few searches a minute and an address a few hundred public
                // requests, so wrk measured how fast the server answers 429 (nearly every answer was one).
                ServerProcess server =
                        ServerProcess.start(data.home(), data.jdbcUrl(), jvm, List.of("--rate-limit", "all=off"))) {
            String key = Renting.newRenter(server.baseUrl(), data.adminKey(), "wrk-renter", 1)
                    .apiKey();
            List<String> base = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency");
            // Unmeasured runs of each first, twice in turn: the server's JIT compiles both paths before the figures
            // count. With 5 s of one each, the same server answered the static route 16,000 and then 30,000 times a
            // second, and whichever route came later looked faster.
            for (int round = 0; round < 2; round++) {
                wrk(base(base, warmup), List.of(server.baseUrl() + "/api/v0/gpu_names/unique/"), key);
                wrk(base(base, warmup), List.of("-s", script.toString(), server.baseUrl() + "/api/v0/bundles/"), key);
            }
            r.append(String.format(
                    Locale.ROOT,
                    "## wrk: quickstart search vs a static route, %,d-machine market on %s%n%n",
                    machines,
                    db));
            r.append("- machine: ").append(Environment.machine()).append('\n');
            r.append(String.format(
                    Locale.ROOT,
                    "- `wrk -t%d -c%d -d%ds --latency`, after unmeasured runs of %d s of each route, twice in turn; server JVM"
                            + " options: %s%n%n",
                    threads,
                    connections,
                    seconds,
                    warmup,
                    String.join(" ", ServerProcess.jvmOptions(jvm))));
            r.append(
                    "| route | req/s | latency avg | p99 | non-2xx | socket errors | server CPU µs a request | load before | load after |\n|---|--:|--:|--:|--:|---|--:|---|---|\n");
            double[] rates = new double[4];
            double[] cpu = new double[4];
            String[][] runs = {
                {"static `GET /api/v0/gpu_names/unique/`", server.baseUrl() + "/api/v0/gpu_names/unique/", null},
                {
                    "quickstart search `POST /api/v0/bundles/` (bench/wrk/search.lua)",
                    server.baseUrl() + "/api/v0/bundles/",
                    "search"
                },
                {"static again", server.baseUrl() + "/api/v0/gpu_names/unique/", null},
                {"search again", server.baseUrl() + "/api/v0/bundles/", "search"}
            };
            for (int k = 0; k < runs.length; k++) {
                String before = Environment.loadAverages();
                List<String> target =
                        runs[k][2] == null ? List.of(runs[k][1]) : List.of("-s", script.toString(), runs[k][1]);
                long ticks = server.cpuTicks();
                String out = wrk(base, target, key);
                ticks = server.cpuTicks() - ticks;
                System.err.println(out);
                rates[k] = first(RATE, out, 1).map(Double::parseDouble).orElse(Double.NaN);
                // the server's CPU over the measured run ÷ the requests wrk completed: what a request costs, which
                // depends far less on what else the machine runs than req/s does
                long requests = first(REQUESTS, out, 1).map(Long::parseLong).orElse(0L);
                cpu[k] = requests == 0 ? Double.NaN : 1e6 * ticks / ProcStats.TICKS_PER_SECOND / requests;
                r.append(String.format(
                        Locale.ROOT,
                        "| %s | %,.0f | %s | %s | %s | %s | %,.0f | %s | %s |%n",
                        runs[k][0],
                        rates[k],
                        first(LATENCY, out, 1).orElse("?"),
                        first(P99, out, 1).orElse("?"),
                        first(NON2XX, out, 1).orElse("0"),
                        first(SOCKET, out, 1).orElse("none"),
                        cpu[k],
                        before,
                        Environment.loadAverages()));
            }
            r.append(String.format(
                    Locale.ROOT,
                    "%nSearch ÷ static, the better run of each: %.0f %% (each run against the one before it: %.0f %%, %.0f %%,"
                            + " %.0f %%)%n",
                    100 * Math.max(rates[1], rates[3]) / Math.max(rates[0], rates[2]),
                    100 * rates[1] / rates[0],
                    100 * rates[1] / rates[2],
                    100 * rates[3] / rates[2]));
            r.append(String.format(
                    Locale.ROOT,
                    "Static ÷ search by server CPU a request, the cheaper run of each (the req/s ratio a CPU-bound server"
                            + " would reach): %.0f %%%n",
                    100 * Math.min(cpu[0], cpu[2]) / Math.min(cpu[1], cpu[3])));
        }
        System.out.println(r);
        Path out = Path.of(System.getProperty("bench.out", "bench/target"));
        if (Files.isDirectory(out)) Files.writeString(out.resolve("wrk-" + db + "-" + machines + ".md"), r.toString());
        System.exit(0);
    }

    private static List<String> base(List<String> base, int seconds) {
        List<String> b = new ArrayList<>(base);
        b.set(3, "-d" + seconds + "s");
        return b;
    }

    private static String wrk(List<String> base, List<String> target, String key)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(base);
        argv.addAll(target);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().put("GPUMARKET_API_KEY", key);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
        return out;
    }

    private static java.util.Optional<String> first(Pattern p, String text, int group) {
        Matcher m = p.matcher(text);
        return m.find() ? java.util.Optional.of(m.group(group)) : java.util.Optional.empty();
    }
}
