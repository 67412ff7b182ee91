package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code recycle instance ID}: {@code PUT /api/v0/instances/recycle/{id}/}, recreated from a fresh pull, GPUs kept. */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description = "Destroy and recreate an instance in place from a freshly pulled image, keeping its GPUs.")
public final class RecycleInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        return reportSuccess(api().put("/instances/recycle/" + id + "/", body()), "Recycling instance " + id + ".");
    }
}
