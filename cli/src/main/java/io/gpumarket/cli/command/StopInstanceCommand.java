package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stop instance ID}: {@code PUT /api/v0/instances/{id}/ {"state": "stopped"}}. */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description = "Stop a running instance (its files are kept).")
public final class StopInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        return reportSuccess(
                api().put("/instances/" + id + "/", body("state", "stopped")), "stopping instance " + id + ".");
    }
}
