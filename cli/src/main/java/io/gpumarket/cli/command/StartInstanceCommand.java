package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start instance ID}: {@code PUT /api/v0/instances/{id}/ {"state": "running"}}. */
@Command(name = "instance", mixinStandardHelpOptions = true, description = "Start a stopped instance.")
public final class StartInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        return reportSuccess(
                api().put("/instances/" + id + "/", body("state", "running")), "starting instance " + id + ".");
    }
}
