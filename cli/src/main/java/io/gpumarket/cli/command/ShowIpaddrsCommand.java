package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code show ipaddrs}: {@code GET /api/v0/users/me/ipaddrs}, in vastai's columns. */
@Command(name = "ipaddrs", mixinStandardHelpOptions = true, description = "Show the addresses your calls came from.")
public final class ShowIpaddrsCommand extends ClientCommand {
    static final List<Table.Column> COLUMNS = List.of(
            Table.Column.of("ip", "ip", "{}"),
            Table.Column.of("first_seen", "first_seen", "{}"),
            Table.Column.of("first_location", "first_location", "{}"));

    @Override
    protected int run() {
        JsonNode rows = api().get("/users/me/ipaddrs", body("owner", "me")).path("results");
        if (raw()) printJson(rows);
        else printTable(list(rows), COLUMNS);
        return 0;
    }
}
