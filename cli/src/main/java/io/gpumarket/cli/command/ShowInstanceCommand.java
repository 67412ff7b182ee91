package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import io.gpumarket.cli.client.Instances;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code show instance ID}: {@code GET /api/v0/instances/{id}/}; an unknown or destroyed id exits 1. */
@Command(name = "instance", mixinStandardHelpOptions = true, description = "Show one of your instances.")
public final class ShowInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(
            names = {"-q", "--quiet"},
            description = "only print the id")
    boolean quiet;

    @Override
    protected int run() {
        Optional<JsonNode> instance = Instances.show(api(), id);
        if (instance.isEmpty()) {
            if (raw()) printJson(body("instances", NullNode.getInstance()));
            else if (!quiet) err().println("Instance " + id + " not found or no longer exists.");
            return 1;
        }
        if (raw()) printJson(instance.get());
        else if (quiet) out().println(instance.get().path("id").asText());
        else printTable(List.of(instance.get()), Columns.INSTANCES);
        return 0;
    }
}
