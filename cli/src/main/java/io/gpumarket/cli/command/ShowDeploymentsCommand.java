package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;

/** {@code show deployments}: {@code GET /api/v0/deployments/}, the list as JSON. */
@Command(name = "deployments", mixinStandardHelpOptions = true, description = "Show your serverless deployments.")
public final class ShowDeploymentsCommand extends ClientCommand {
    @Override
    protected int run() {
        printJson(list(api().get("/deployments/").path("deployments")));
        return 0;
    }
}
