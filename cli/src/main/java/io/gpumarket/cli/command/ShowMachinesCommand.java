package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code show machines}: the host's machines, {@code GET /api/v0/machines?owner=me}. */
@Command(name = "machines", mixinStandardHelpOptions = true, description = "[Host] Show your machines.")
public final class ShowMachinesCommand extends ClientCommand {
    @Option(
            names = {"-q", "--quiet"},
            description = "only print the ids")
    boolean quiet;

    @Override
    protected int run() {
        JsonNode answer = api().get("/machines", Map.of("owner", "me"));
        List<JsonNode> rows = list(answer.path("machines"));
        if (raw()) printJson(body("machines", rows));
        else if (quiet)
            out().println(rows.stream().map(r -> r.path("id").asText()).collect(Collectors.joining(" ")));
        else printTable(rows, Columns.MACHINES);
        return 0;
    }
}
