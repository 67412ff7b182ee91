package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code show api-key ID}: {@code GET /api/v0/auth/apikeys/{id}/}. */
@Command(name = "api-key", mixinStandardHelpOptions = true, description = "Show one API key.")
public final class ShowApiKeyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        printJson(api().get("/auth/apikeys/" + id + "/"));
        return 0;
    }
}
