package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code show connections}: {@code GET /api/v0/users/cloud_integrations/}, vastai's columns. */
@Command(name = "connections", mixinStandardHelpOptions = true, description = "List your cloud connections.")
public final class ShowConnectionsCommand extends ClientCommand {
    static final List<Table.Column> COLUMNS = List.of(
            Table.Column.of("id", "ID", "{}"),
            Table.Column.of("name", "NAME", "{}"),
            Table.Column.of("cloud_type", "Cloud Type", "{}"),
            Table.Column.of("endpoint", "Endpoint", "{}"),
            Table.Column.of("access_key_id", "Access Key", "{}"));

    @Override
    protected int run() {
        JsonNode rows = api().get("/users/cloud_integrations/");
        if (raw()) printJson(rows);
        else printTable(list(rows), COLUMNS);
        return 0;
    }
}
