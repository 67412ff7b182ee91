package io.gpumarket.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The HTTP quickstart search against a static route's ceiling, in one run (issue 14): a server on the synthetic
 * market, then {@code wrk} on {@code POST /api/v0/bundles/} with the quickstart body and on the public
 * {@code GET /api/v0/gpu_names/unique/}, alternating, each for the given seconds, with {@code uptime} beside each.
 *
 * <p>Run: {@code java -cp bench/target/gpumarket-bench.jar:bench/target/test-classes io.gpumarket.bench.SearchProbe
 * MACHINES [seconds] [rounds]} (needs {@code wrk} on the PATH).
 */
public final class SearchProbe {
    private SearchProbe() {}

    public static void main(String[] args) throws Exception {
        int machines = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        try (BenchServer server = BenchServer.start(SyntheticMarket.generate(machines), null)) {
            Path lua = Files.createTempFile("search", ".lua");
            String body = BenchQueries.QUICKSTART
                    .json()
                    .replace("\\", "\\\\")
                    .replace("\"", "\\\"")
                    .replace("\n", "\\n");
            Files.writeString(
                    lua,
                    "wrk.method = \"POST\"\nwrk.body = \"" + body + "\"\n"
                            + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                            + "wrk.headers[\"Authorization\"] = \"Bearer " + server.renterKey() + "\"\n");
            new HttpLoad(server.baseUrl(), server.renterKey(), BenchQueries.QUICKSTART.json()).once();
            for (int r = 0; r < rounds; r++) {
                wrk(server.baseUrl() + "/api/v0/gpu_names/unique/", null, seconds, "static");
                wrk(server.baseUrl() + "/api/v0/bundles/", lua, seconds, "search");
            }
            Files.delete(lua);
        }
    }

    private static void wrk(String url, Path script, int seconds, String name) throws Exception {
        var cmd = new java.util.ArrayList<>(java.util.List.of("wrk", "-t2", "-c32", "-d" + seconds + "s"));
        if (script != null) cmd.addAll(java.util.List.of("-s", script.toString()));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        String rps = out.lines()
                .filter(l -> l.startsWith("Requests/sec"))
                .findFirst()
                .orElse("?");
        String non2xx =
                out.lines().filter(l -> l.contains("Non-2xx")).findFirst().orElse("");
        System.out.printf("%-7s %s %s | %s%n", name, rps, non2xx, Environment.uptime());
    }
}
