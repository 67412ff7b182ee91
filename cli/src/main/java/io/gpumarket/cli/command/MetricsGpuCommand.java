package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code metrics gpu}: {@code GET /api/v0/metrics/gpu/current/} as vastai's {@code metrics gpu} calls and shows it. */
@Command(name = "gpu", mixinStandardHelpOptions = true, description = "Show current GPU market metrics.")
public final class MetricsGpuCommand extends ClientCommand {
    static final List<Column> FIELDS = List.of(
            Column.of("gpu_name", "GPU", "{}"),
            Column.of("total", "Total", "{}").right(),
            Column.of("available", "Avail", "{}").right(),
            Column.of("usage", "Usage%", "{:.1f}").right(),
            Column.of("rented_verified", "Rnt/Ver", "{}").right(),
            Column.of("avail_verified", "Avl/Ver", "{}").right(),
            Column.of("rented_unverified", "Rnt/Unv", "{}").right(),
            Column.of("avail_unverified", "Avl/Unv", "{}").right(),
            Column.of("dlperf", "DLPerf", "{:.1f}").right(),
            Column.of("tflops", "TFLOPS", "{:.1f}").right(),
            Column.of("tflops_per_dollar", "TFLOPS/$", "{:.1f}").right(),
            Column.of("price_p10", "P10 $/hr", "{:.4f}").right(),
            Column.of("price_median", "Med $/hr", "{:.4f}").right(),
            Column.of("price_p90", "P90 $/hr", "{:.4f}").right());

    @Option(names = "--verified", defaultValue = "all", description = "true, false or all")
    String verified;

    @Option(names = "--datacenter", defaultValue = "all", description = "true, false or all")
    String datacenter;

    @Option(names = "--num-gpus", defaultValue = "all", description = "all, 1, 2, 4 or 8")
    String numGpus;

    @Override
    protected int run() {
        JsonNode answer = api().get("/metrics/gpu/current/", filters(verified, datacenter, numGpus));
        if (raw()) printJson(answer);
        else printTable(list(answer.path("gpus")), FIELDS);
        return 0;
    }

    /** vastai's flags as the query words it sends ({@code true} → {@code yes} / {@code secure_cloud}). */
    static Map<String, String> filters(String verified, String datacenter, String numGpus) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("verified", word(verified, "yes", "no"));
        q.put("hosting_type", word(datacenter, "secure_cloud", "community"));
        q.put("num_gpus", numGpus);
        return q;
    }

    private static String word(String flag, String yes, String no) {
        return switch (flag) {
            case "true" -> yes;
            case "false" -> no;
            default -> "all";
        };
    }
}
