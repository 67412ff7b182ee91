package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code label instance ID LABEL}: {@code PUT /api/v0/instances/{id}/ {"label": …}}. */
@Command(name = "instance", mixinStandardHelpOptions = true, description = "Set an instance's label.")
public final class LabelInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1", paramLabel = "LABEL")
    String label;

    @Override
    protected int run() {
        return reportSuccess(
                api().put("/instances/" + id + "/", body("label", label)),
                "label for " + id + " set to " + label + ".");
    }
}
