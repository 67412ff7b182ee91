package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code destroy instance ID}: {@code DELETE /api/v0/instances/{id}/} after a confirmation ({@code -y} skips it). */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description = "Destroy an instance (irreversible, deletes its data).")
public final class DestroyInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(
            names = {"-y", "--yes"},
            description = "do not ask")
    boolean yes;

    @Override
    protected int run() throws IOException {
        if (!yes
                && !confirm("Are you sure you want to destroy instance " + id
                        + "? This is irreversible and will delete all data. [y/N] ")) {
            out().println("Aborted.");
            return 1;
        }
        return reportSuccess(api().delete("/instances/" + id + "/", body()), "destroying instance " + id + ".");
    }
}
