package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import picocli.CommandLine.Command;

/** {@code show api-keys}: {@code GET /api/v0/auth/apikeys/}. */
@Command(name = "api-keys", mixinStandardHelpOptions = true, description = "List your API keys.")
public final class ShowApiKeysCommand extends ClientCommand {
    @Override
    protected int run() {
        JsonNode answer = api().get("/auth/apikeys/");
        JsonNode keys = answer.isArray() ? answer : answer.path("apikeys");
        if (raw()) printJson(answer);
        else printTable(list(keys), Columns.API_KEYS);
        return 0;
    }
}
