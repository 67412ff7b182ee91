package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code show deposit ID}: {@code GET /api/v0/instances/balance/{id}/}, printed as JSON as vastai does. */
@Command(name = "deposit", mixinStandardHelpOptions = true, description = "Show a reserved instance's deposit.")
public final class ShowDepositCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        printJson(api().get("/instances/balance/" + id + "/"));
        return 0;
    }
}
