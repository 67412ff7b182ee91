package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Instances;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show instances}: every page of {@code GET /api/v1/instances/} (following {@code next_token}), with
 * vastai's filters; {@code --raw} prints one flat list, {@code -q} the ids.
 */
@Command(name = "instances", mixinStandardHelpOptions = true, description = "Show your instances (all pages).")
public final class ShowInstancesCommand extends ClientCommand {
    @Option(
            names = {"-q", "--quiet"},
            description = "only print the ids")
    boolean quiet;

    @Option(
            names = {"-s", "--status"},
            arity = "1..*",
            description = "only these actual_status values (running loading exited …)")
    List<String> status;

    @Option(names = "--label", arity = "1..*", description = "only these labels ('' for unlabeled)")
    List<String> label;

    @Option(names = "--gpu-name", arity = "1..*", description = "only these GPU models")
    List<String> gpuName;

    @Option(names = "--verification", arity = "1..*", description = "verified, unverified, deverified")
    List<String> verification;

    @Option(
            names = "--order-by",
            paramLabel = "'COL [asc|desc]'",
            description = "sort key (repeatable); id is the last key")
    List<String> orderBy;

    @Override
    protected int run() {
        Map<String, Object> filters = new LinkedHashMap<>();
        if (status != null) filters.put("actual_status", body("in", status));
        if (label != null) {
            List<String> labels = new ArrayList<>();
            for (String l : label) labels.add(l.isEmpty() ? null : l);
            filters.put("label", body("in", labels));
        }
        if (gpuName != null) filters.put("gpu_name", body("in", gpuName));
        if (verification != null) filters.put("verification", body("in", verification));
        List<Map<String, String>> order = new ArrayList<>();
        if (orderBy != null) {
            for (String entry : orderBy) {
                String[] parts = entry.strip().split("\\s+");
                String dir = parts.length > 1 && parts[1].matches("(?i)asc|desc") ? parts[1].toLowerCase() : "asc";
                order.add(Instances.order(parts[0], dir));
            }
            if (order.stream().noneMatch(o -> o.get("col").equals("id"))) order.add(Instances.order("id", "asc"));
        }
        List<JsonNode> rows = Instances.all(api(), filters, order);
        if (raw()) {
            printJson(rows);
        } else if (quiet) {
            rows.forEach(r -> out().println(r.path("id").asText()));
        } else if (rows.isEmpty()) {
            out().println(filters.isEmpty() ? "No instances found." : "No instances matched your filters.");
        } else {
            printTable(rows, Columns.INSTANCES);
        }
        return 0;
    }
}
