package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table.Column;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code metrics gpu-trends [NAME]}: {@code GET /api/v0/metrics/gpu/history/}, ~20 rows per GPU as vastai shows it. */
@Command(name = "gpu-trends", mixinStandardHelpOptions = true, description = "Show GPU market history.")
public final class MetricsGpuTrendsCommand extends ClientCommand {
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final List<String> SUPPLY =
            List.of("rented_verified", "avail_verified", "rented_unverified", "avail_unverified", "total");
    private static final List<String> PRICES =
            List.of("rented_p10", "rented_median", "rented_p90", "avail_p10", "avail_median", "avail_p90");
    private static final List<Column> FIELDS = List.of(
            Column.of("date", "Date", "{}"),
            Column.of("rented_verified", "Rnt/Ver", "{}").right(),
            Column.of("avail_verified", "Avl/Ver", "{}").right(),
            Column.of("rented_unverified", "Rnt/Unv", "{}").right(),
            Column.of("avail_unverified", "Avl/Unv", "{}").right(),
            Column.of("total", "Total", "{}").right(),
            Column.of("rented_p10", "R.p10", "{:.4f}").right(),
            Column.of("rented_median", "R.med", "{:.4f}").right(),
            Column.of("rented_p90", "R.p90", "{:.4f}").right(),
            Column.of("avail_p10", "A.p10", "{:.4f}").right(),
            Column.of("avail_median", "A.med", "{:.4f}").right(),
            Column.of("avail_p90", "A.p90", "{:.4f}").right());

    @Parameters(index = "0", arity = "0..1", defaultValue = "RTX 5090,RTX 4090,RTX 3090", description = "GPU names")
    String name;

    @Option(names = "--verified", defaultValue = "all")
    String verified;

    @Option(names = "--datacenter", defaultValue = "all")
    String datacenter;

    @Option(names = "--num-gpus", defaultValue = "all")
    String numGpus;

    @Option(names = "--start", description = "start unix timestamp")
    Long start;

    @Option(names = "--end", description = "end unix timestamp")
    Long end;

    @Option(names = "--step", description = "seconds between points")
    Long step;

    @Option(names = "--full", description = "every point instead of ~20")
    boolean full;

    @Override
    protected int run() {
        String names = name.replace('_', ' ');
        Map<String, String> q = MetricsGpuCommand.filters(verified, datacenter, numGpus);
        q.put("gpu_name", names);
        if (start != null) q.put("start", start.toString());
        if (end != null) q.put("end", end.toString());
        if (step != null) q.put("step", step.toString());
        JsonNode answer = api().get("/metrics/gpu/history/", q);
        if (raw()) {
            printJson(answer);
            return 0;
        }
        var gpus = answer.path("gpus").fields();
        while (gpus.hasNext()) {
            var gpu = gpus.next();
            JsonNode stats = gpu.getValue().path("stats");
            out().println("\n=== " + gpu.getKey() + " ===");
            out().println("  tflops: " + stats.path("tflops").asText("-") + "  dlperf: "
                    + stats.path("dlperf").asText("-") + "  tflops/$: "
                    + stats.path("tflops_per_dollar").asText("-"));
            JsonNode sd = gpu.getValue().path("supply_demand");
            JsonNode pr = gpu.getValue().path("pricing");
            int n = sd.path("timestamps").size();
            if (n == 0) {
                out().println("  (no data)");
                continue;
            }
            int every = full ? 1 : Math.max(1, n / 20);
            List<JsonNode> rows = new ArrayList<>();
            for (int i = 0; i < n; i += every) {
                ObjectNode row = JsonNodeFactory.instance.objectNode();
                row.put(
                        "date",
                        MINUTE.format(Instant.ofEpochSecond(
                                sd.path("timestamps").get(i).asLong())));
                for (String k : SUPPLY) row.set(k, sd.path(k).path(i));
                for (String k : PRICES) row.set(k, pr.path(k).path(i));
                rows.add(row);
            }
            printTable(rows, FIELDS);
            if (every > 1)
                out().println("\n  (" + n + " data points, showing every " + every + "th. Use --full for all.)");
        }
        return 0;
    }
}
