package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.cli.client.ClientCommand;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code show endpoints}: {@code GET /api/v0/endptjobs/}, printed as vastai prints it (the rows without their
 * {@code api_key}, as JSON with one-space indents).
 */
@Command(name = "endpoints", mixinStandardHelpOptions = true, description = "Show your serverless endpoints.")
public final class ShowEndpointsCommand extends ClientCommand {
    @Override
    protected int run() {
        JsonNode answer = api().get("/endptjobs/");
        List<JsonNode> rows = list(answer.path("results"));
        for (JsonNode r : rows) {
            if (r instanceof ObjectNode o) {
                o.remove("api_key");
                o.remove("auto_delete_in_seconds");
                o.remove("auto_delete_due_24h");
            }
        }
        printJson(rows);
        return 0;
    }
}
