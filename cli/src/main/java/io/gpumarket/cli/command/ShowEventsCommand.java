package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table.Column;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show events [--after N]}: the account's event stream ({@code GET /api/v0/events/?after=N}); the last id
 * shown is where the next call starts (docs/webhooks.md).
 */
@Command(name = "events", mixinStandardHelpOptions = true, description = "Show your account's events after an id.")
public final class ShowEventsCommand extends ClientCommand {
    private static final List<Column> FIELDS = List.of(
            Column.of("event_id", "ID", "{}"),
            Column.of("notif_type", "Type", "{}"),
            Column.of("subject", "Subject", "{}"));

    @Option(names = "--after", defaultValue = "0", description = "show events after this id")
    long after;

    @Option(names = "--limit", defaultValue = "100")
    int limit;

    @Override
    protected int run() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("after", Long.toString(after));
        q.put("limit", Integer.toString(limit));
        JsonNode answer = api().get("/events/", q);
        if (raw()) printJson(answer);
        else printTable(list(answer.path("events")), FIELDS);
        return 0;
    }
}
