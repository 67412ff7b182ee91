package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete volume ID}: {@code DELETE /api/v0/volumes/?id=ID}; refused while an instance mounts it. */
@Command(name = "volume", mixinStandardHelpOptions = true, description = "Delete a volume (its data is wiped).")
public final class DeleteVolumeCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        var answer = api().call("DELETE", "/volumes/", Map.of("id", id), null);
        if (raw()) printJson(answer);
        else out().println("Deleted. " + repr(answer));
        return 0;
    }
}
