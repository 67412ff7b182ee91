package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Failure;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show volumes [-t local|network|all]}: {@code GET /api/v0/volumes?owner=me&type=…}, with vastai's computed
 * {@code duration} (seconds since {@code start_date}).
 */
@Command(name = "volumes", mixinStandardHelpOptions = true, description = "Show your volumes.")
public final class ShowVolumesCommand extends ClientCommand {
    @Option(
            names = {"-t", "--type"},
            defaultValue = "all",
            description = "local, network or all (default ${DEFAULT-VALUE})")
    String type;

    @Override
    protected int run() {
        String wire = switch (type) {
            case "local" -> "local_volume";
            case "network" -> "network_volume";
            default -> "all_volume";
        };
        JsonNode rows =
                api().get("/volumes", Map.of("owner", "me", "type", wire)).get("volumes");
        if (rows == null || !rows.isArray()) throw new Failure("error: the server's answer has no volumes");
        double now = java.time.Instant.now().toEpochMilli() / 1000.0; // vastai: time.time()
        List<JsonNode> processed = list(rows);
        for (JsonNode row : processed) {
            if (row instanceof ObjectNode o && row.path("start_date").isNumber())
                o.put("duration", now - row.get("start_date").asDouble());
        }
        if (raw()) printJson(rows);
        else printTable(processed, Columns.VOLUMES);
        return 0;
    }
}
