package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code destroy instances ID…}: {@code DELETE /api/v0/instances/ {"instance_ids": […]}}, 64 ids a call. */
@Command(
        name = "instances",
        mixinStandardHelpOptions = true,
        description = "Destroy instances (irreversible, deletes their data).")
public final class DestroyInstancesCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "ID")
    List<Long> ids;

    @Option(
            names = {"-y", "--yes"},
            description = "do not ask")
    boolean yes;

    @Override
    protected int run() throws IOException {
        String listed = ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
        if (!yes
                && !confirm("Are you sure you want to destroy instances " + listed
                        + "? This is irreversible and will delete all data. [y/N] ")) {
            out().println("Aborted.");
            return 1;
        }
        int code = 0;
        for (List<Long> chunk : Chunks.of(ids)) {
            code |= reportSuccess(
                    api().delete("/instances/", body("instance_ids", chunk)), "destroying instance " + chunk + ".");
        }
        return code;
    }
}
