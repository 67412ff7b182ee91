package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show maints [--ids 1,2]}: the host's maintenance windows that have not ended, {@code GET
 * /api/v0/machines/maintenances?owner=me&machine_ids=[1, 2]} (all the host's machines without {@code --ids}).
 */
@Command(
        name = "maints",
        aliases = "maintenances",
        mixinStandardHelpOptions = true,
        description = "[Host] Show your machines' scheduled maintenance.")
public final class ShowMaintsCommand extends ClientCommand {
    @Option(
            names = {"--ids", "-ids"},
            split = ",",
            paramLabel = "ID",
            description = "machine ids, comma-separated")
    List<Long> ids;

    @Override
    protected int run() {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("owner", "me");
        if (ids != null && !ids.isEmpty()) query.put("machine_ids", new ArrayList<>(ids));
        JsonNode answer = api().get("/machines/maintenances", query);
        List<JsonNode> rows = list(answer);
        if (raw()) printJson(rows);
        else printTable(rows, Columns.MAINTENANCES);
        return 0;
    }
}
