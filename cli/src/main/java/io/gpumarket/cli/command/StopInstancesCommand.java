package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stop instances ID…}: {@code PUT /api/v0/instances/ {"state": "stopped", "ids": […]}}, 64 ids a call. */
@Command(
        name = "instances",
        mixinStandardHelpOptions = true,
        description = "Stop running instances (their files are kept).")
public final class StopInstancesCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "ID")
    List<Long> ids;

    @Override
    protected int run() {
        int code = 0;
        for (List<Long> chunk : Chunks.of(ids)) {
            code |= reportSuccess(
                    api().put("/instances/", body("state", "stopped", "ids", chunk)),
                    "stopping instance " + chunk + ".");
        }
        return code;
    }
}
