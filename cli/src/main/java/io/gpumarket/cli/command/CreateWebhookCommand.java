package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create webhook URL --events T,T [--name N]}: {@code POST /api/v0/webhooks/}; prints the secret once. */
@Command(name = "webhook", mixinStandardHelpOptions = true, description = "Create a notification webhook.")
public final class CreateWebhookCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "URL")
    String url;

    @Option(
            names = "--events",
            required = true,
            description = "notification types, comma-separated, e.g. client:instance_stopped,client:low_credit")
    String events;

    @Option(names = "--name")
    String name;

    @Override
    protected int run() {
        List<String> types = Arrays.stream(events.split(","))
                .map(String::strip)
                .filter(t -> !t.isEmpty())
                .toList();
        JsonNode answer = api().post("/webhooks/", body("name", name, "webhook_url", url, "event_types", types));
        if (raw()) {
            printJson(answer);
            return 0;
        }
        JsonNode w = answer.path("webhook");
        out().println("Created webhook " + w.path("id").asText() + " for " + w.path("event_types"));
        out().println("Signing secret (shown once, keep it): "
                + w.path("webhook_secret").asText());
        return 0;
    }
}
