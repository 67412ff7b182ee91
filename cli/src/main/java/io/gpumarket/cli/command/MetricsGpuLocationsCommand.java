package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table.Column;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code metrics gpu-locations}: {@code GET /api/v0/metrics/gpu/locations/}, filtered here as vastai filters it
 * (the route answers one shared dataset).
 */
@Command(name = "gpu-locations", mixinStandardHelpOptions = true, description = "Show where the market's GPUs are.")
public final class MetricsGpuLocationsCommand extends ClientCommand {
    private static final List<Column> FIELDS = List.of(
            Column.of("gpu_name", "GPU", "{}"),
            Column.of("city", "City", "{}"),
            Column.of("country_code", "CC", "{}"),
            Column.of("num_gpus", "GPUs", "{}").right(),
            Column.of("rented", "Rented", "{}"),
            Column.of("verified", "Verified", "{}"),
            Column.of("latitude", "Lat", "{:.4f}").right(),
            Column.of("longitude", "Lon", "{:.4f}").right());

    @Option(names = "--verified", defaultValue = "all")
    String verified;

    @Option(names = "--datacenter", defaultValue = "all")
    String datacenter;

    @Option(names = "--rented", defaultValue = "all")
    String rented;

    @Option(names = "--gpu", description = "GPU names, comma-separated")
    String gpu;

    @Override
    protected int run() {
        JsonNode answer = api().get("/metrics/gpu/locations/");
        Set<String> wanted = gpu == null
                ? Set.of()
                : Arrays.stream(gpu.split(","))
                        .map(g -> g.strip().replace('_', ' '))
                        .filter(g -> !g.isEmpty())
                        .collect(Collectors.toSet());
        List<JsonNode> rows = new ArrayList<>();
        for (JsonNode l : answer.path("locations")) {
            if (!admits(verified, l.path("verified"))
                    || !admits(datacenter, l.path("datacenter"))
                    || !admits(rented, l.path("rented"))) continue;
            if (!wanted.isEmpty() && !wanted.contains(l.path("gpu_name").asText())) continue;
            rows.add(l);
        }
        if (raw()) printJson(java.util.Map.of("success", true, "locations", rows));
        else printTable(rows, FIELDS);
        return 0;
    }

    private static boolean admits(String choice, JsonNode value) {
        return choice.equals("all") || value.asBoolean() == choice.equals("true");
    }
}
