package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code reports ID}: renters' reports on one of the host's machines, {@code GET /api/v0/machines/{id}/reports/}
 * with the JSON body vastai sends on this GET ({@code {"machine_id": id}}).
 */
@Command(name = "reports", mixinStandardHelpOptions = true, description = "[Host] Show renters' reports on a machine.")
public final class ReportsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        JsonNode answer = api().call("GET", "/machines/" + id + "/reports/", Map.of(), body("machine_id", id));
        List<JsonNode> rows = list(answer);
        if (raw()) printJson(rows);
        else printTable(rows, Columns.REPORTS);
        return 0;
    }
}
