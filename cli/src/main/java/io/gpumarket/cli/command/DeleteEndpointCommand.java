package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete endpoint ID}: {@code DELETE /api/v0/endptjobs/ID/} (its workers are destroyed). */
@Command(name = "endpoint", mixinStandardHelpOptions = true, description = "Delete a serverless endpoint.")
public final class DeleteEndpointCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        var answer = api().delete("/endptjobs/" + id + "/", body("client_id", "me", "endptjob_id", id));
        if (raw()) printJson(answer);
        else out().println("delete endpoint " + repr(answer));
        return 0;
    }
}
