package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code reboot instance ID}: {@code PUT /api/v0/instances/reboot/{id}/}, a restart that keeps the GPUs. */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description = "Restart an instance's processes without giving up its GPUs.")
public final class RebootInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        return reportSuccess(api().put("/instances/reboot/" + id + "/", body()), "Rebooting instance " + id + ".");
    }
}
