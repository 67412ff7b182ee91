package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;

/** {@code show workergroups}: {@code GET /api/v0/autojobs/}, the rows as JSON as vastai prints them. */
@Command(name = "workergroups", mixinStandardHelpOptions = true, description = "Show your serverless worker groups.")
public final class ShowWorkergroupsCommand extends ClientCommand {
    @Override
    protected int run() {
        printJson(list(api().get("/autojobs/").path("results")));
        return 0;
    }
}
