package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cancel maint ID}: withdraws a machine's announced maintenance windows, {@code PUT
 * /api/v0/machines/{id}/cancel_maint/} with vastai's body, after a confirmation ({@code -y}).
 */
@Command(
        name = "maint",
        aliases = "maintenance",
        mixinStandardHelpOptions = true,
        description = "[Host] Cancel a machine's scheduled maintenance windows.")
public final class CancelMaintCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(
            names = {"-y", "--yes"},
            description = "do not ask")
    boolean yes;

    @Override
    protected int run() throws IOException {
        out().println("Cancelling scheduled maintenance window(s) for machine " + id + ".");
        if (!yes && !confirm("Continue? [y/n] ")) return 1;
        return reportSuccess(
                api().put("/machines/" + id + "/cancel_maint/", body("client_id", "me", "machine_id", id)),
                "Cancel maintenance window(s) scheduled for machine " + id + " success");
    }
}
