package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code unlist machine ID}: {@code DELETE /api/v0/machines/{id}/asks/}; running rentals keep running. */
@Command(
        name = "machine",
        mixinStandardHelpOptions = true,
        description = "[Host] Take all of a machine's offers off the market.")
public final class UnlistMachineCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        return reportSuccess(
                api().delete("/machines/" + id + "/asks/", body()),
                "all offers for machine " + id + " removed, machine delisted.");
    }
}
