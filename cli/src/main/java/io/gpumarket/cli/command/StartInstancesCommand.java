package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code start instances ID…}: {@code PUT /api/v0/instances/ {"state": "running", "ids": […]}}, 64 ids a call. */
@Command(name = "instances", mixinStandardHelpOptions = true, description = "Start stopped instances.")
public final class StartInstancesCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "ID")
    List<Long> ids;

    @Override
    protected int run() {
        int code = 0;
        for (List<Long> chunk : Chunks.of(ids)) {
            code |= reportSuccess(
                    api().put("/instances/", body("state", "running", "ids", chunk)),
                    "starting instance " + chunk + ".");
        }
        return code;
    }
}
