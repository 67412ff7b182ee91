package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete workergroup ID}: {@code DELETE /api/v0/autojobs/ID/} (its workers stay, as ordinary instances). */
@Command(name = "workergroup", mixinStandardHelpOptions = true, description = "Delete a serverless worker group.")
public final class DeleteWorkergroupCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        var answer = api().delete("/autojobs/" + id + "/", body("client_id", "me", "autojob_id", id));
        if (raw()) printJson(answer);
        else out().println("workergroup delete " + repr(answer));
        return 0;
    }
}
