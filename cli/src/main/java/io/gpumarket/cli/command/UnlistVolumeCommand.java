package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** [Host] {@code unlist volume ID}: {@code POST /api/v0/volumes/unlist/}; refused while volumes are rented from it. */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "[Host] Take a volume offer off the market.")
public final class UnlistVolumeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "id of the volume offer")
    long id;

    @Override
    protected int run() {
        var answer = api().post("/volumes/unlist/", Map.of("id", id));
        if (raw()) printJson(answer);
        else out().println(answer.path("msg").asText());
        return 0;
    }
}
