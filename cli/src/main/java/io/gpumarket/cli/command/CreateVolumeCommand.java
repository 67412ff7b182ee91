package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create volume OFFER_ID [-s GB] [-n NAME]}: {@code PUT /api/v0/volumes/} as vastai sends it. */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "Rent a volume from a volume offer.")
public final class CreateVolumeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "id of the volume offer (search volumes)")
    long id;

    @Option(
            names = {"-s", "--size"},
            defaultValue = "15",
            description = "size in GB (default ${DEFAULT-VALUE})")
    double size;

    @Option(
            names = {"-n", "--name"},
            description = "a name for the volume")
    String name;

    @Override
    protected int run() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("size", (long) size);
        body.put("id", id);
        if (name != null && !name.isEmpty()) body.put("name", name);
        var answer = api().put("/volumes/", body);
        if (raw()) printJson(answer);
        else out().println("Created. " + repr(answer));
        return 0;
    }
}
