package io.gpumarket.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The run's figures as Markdown: the tables docs/benchmarks.md quotes, then the queries and plans behind them. */
final class Report {
    /** One query's figures from both engines. */
    record QueryRow(
            BenchQuery query,
            int matching,
            IndexHarness.Result index,
            PostgresBaseline.Result pg,
            boolean sameIds,
            String plan,
            String load) {
        double ratio() {
            return pg.samples().p50Micros() / index.samples().p50Micros();
        }
    }

    /** The HTTP run's figures. */
    record HttpRow(
            String database,
            StoreLoader.Loaded loaded,
            long loadMillis,
            int indexed,
            boolean sameIds,
            List<HttpLoad.Result> results,
            String load) {}

    final List<String> setup = new ArrayList<>();
    final List<QueryRow> queries = new ArrayList<>();
    String indexNote = "";
    String pgNote = "";
    HttpRow http;

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Setup\n\n");
        for (String s : setup) md.append("- ").append(s).append('\n');

        md.append("\n## In process vs PostgreSQL (same data, same run)\n\n");
        md.append(
                "| query | matching offers | rows | index p50 µs | index p99 µs | PostgreSQL p50 µs | PostgreSQL p99 µs"
                        + " | PostgreSQL ÷ index (p50) | same ids | load |\n");
        md.append("|---|--:|--:|--:|--:|--:|--:|--:|:-:|---|\n");
        for (QueryRow q : queries) {
            md.append("| ")
                    .append(q.query().name())
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", q.matching()))
                    .append(" | ")
                    .append(q.index().ids().size())
                    .append(" | ")
                    .append(micros(q.index().samples().p50Micros()))
                    .append(" | ")
                    .append(micros(q.index().samples().p99Micros()))
                    .append(" | ")
                    .append(micros(q.pg().samples().p50Micros()))
                    .append(" | ")
                    .append(micros(q.pg().samples().p99Micros()))
                    .append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f×", q.ratio()))
                    .append(" | ")
                    .append(q.sameIds() ? "yes" : "**NO**")
                    .append(" | ")
                    .append(q.load())
                    .append(" |\n");
        }
        md.append('\n').append(indexNote).append("\n\n").append(pgNote).append('\n');

        if (http != null) {
            md.append("\n## HTTP: `POST /api/v0/bundles/` with the quickstart query\n\n");
            md.append(
                    "| clients | measured | requests | req/s | p50 µs | p99 µs | errors |\n|--:|--:|--:|--:|--:|--:|--:|\n");
            for (HttpLoad.Result r : http.results()) {
                md.append(String.format(
                        Locale.ROOT,
                        "| %d | %.0f s | %,d | %,.0f | %s | %s | %d |%n",
                        r.clients(),
                        r.seconds(),
                        r.samples().count(),
                        r.requestsPerSecond(),
                        micros(r.samples().p50Micros()),
                        micros(r.samples().p99Micros()),
                        r.errors()));
            }
            md.append(String.format(
                    Locale.ROOT,
                    "%nServer: %s store filled through the store repositories (%,d hosts, "
                            + "%,d machines, %,d offers) and the index rebuilt from it in %.1f s; %,d offers indexed; the "
                            + "HTTP page has the same offer ids as the in-process search: %s. Load during the run: %s.%n",
                    http.database(),
                    http.loaded().hosts(),
                    http.loaded().machines(),
                    http.loaded().offers(),
                    http.loadMillis() / 1000.0,
                    http.indexed(),
                    http.sameIds() ? "yes" : "**NO**",
                    http.load()));
        }

        md.append("\n## Targets\n\n");
        QueryRow quick = queries.stream()
                .filter(q -> q.query() == BenchQueries.QUICKSTART)
                .findFirst()
                .orElse(null);
        if (quick != null) {
            double p50 = quick.index().samples().p50Micros();
            md.append(String.format(
                    Locale.ROOT,
                    "- in-process quickstart p50 ≤ 1 ms: %s (%s µs)%n",
                    p50 <= 1000 ? "met" : "**missed**",
                    micros(p50)));
        }
        for (QueryRow q : queries) {
            md.append(String.format(
                    Locale.ROOT,
                    "- %s ≥ 20× faster than PostgreSQL (p50): %s (%.0f×)%n",
                    q.query().name(),
                    q.ratio() >= 20 ? "met" : "**missed**",
                    q.ratio()));
        }

        md.append("\n## Queries\n");
        for (QueryRow q : queries) {
            md.append("\n### ")
                    .append(q.query().name())
                    .append("\n\n")
                    .append(q.query().summary())
                    .append(".\n\n");
            md.append("```json\n")
                    .append(q.query().json())
                    .append("\n```\n\n```sql\n")
                    .append(q.query().sql())
                    .append("\n```\n\nPlan (`EXPLAIN ANALYZE`, timing off):\n\n```\n")
                    .append(q.plan().strip())
                    .append("\n```\n");
        }
        return md.toString();
    }

    /** Microseconds with a decimal below 100 µs (where it means something), whole above. */
    static String micros(double us) {
        return us < 100 ? String.format(Locale.ROOT, "%.1f", us) : String.format(Locale.ROOT, "%,.0f", us);
    }
}
