package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code show machine ID}: {@code GET /api/v0/machines/{id}?owner=me} (a list of one, as Vast answers). */
@Command(name = "machine", mixinStandardHelpOptions = true, description = "[Host] Show one of your machines.")
public final class ShowMachineCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        JsonNode answer = api().get("/machines/" + id, Map.of("owner", "me"));
        if (raw()) printJson(answer);
        else printTable(answer.isArray() ? list(answer) : List.of(answer), Columns.MACHINES);
        return 0;
    }
}
