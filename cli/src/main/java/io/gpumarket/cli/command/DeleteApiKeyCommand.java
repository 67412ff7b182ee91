package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete api-key ID}: {@code DELETE /api/v0/auth/apikeys/{id}/}; the key stops working at once. */
@Command(name = "api-key", mixinStandardHelpOptions = true, description = "Revoke one of your API keys.")
public final class DeleteApiKeyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        JsonNode answer = api().delete("/auth/apikeys/" + id + "/", body());
        // Vast answers a bare JSON string here ("Successfully Deleted API Key")
        if (answer.isTextual()) {
            out().println(raw() ? answer.toString() : answer.asText());
            return 0;
        }
        return reportSuccess(answer, "api-key " + id + " deleted.");
    }
}
