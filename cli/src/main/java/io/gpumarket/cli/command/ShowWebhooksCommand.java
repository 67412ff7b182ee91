package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Table.Column;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code show webhooks}: {@code GET /api/v0/webhooks/} (vastai has no verb for it; docs/webhooks.md). */
@Command(name = "webhooks", mixinStandardHelpOptions = true, description = "Show your notification webhooks.")
public final class ShowWebhooksCommand extends ClientCommand {
    private static final List<Column> FIELDS = List.of(
            Column.of("id", "ID", "{}"),
            Column.of("name", "Name", "{}"),
            Column.of("webhook_url", "URL", "{}"),
            Column.of("event_types", "Events", "{}"));

    @Override
    protected int run() {
        JsonNode answer = api().get("/webhooks/");
        if (raw()) printJson(answer);
        else printTable(list(answer.path("webhooks")), FIELDS);
        return 0;
    }
}
