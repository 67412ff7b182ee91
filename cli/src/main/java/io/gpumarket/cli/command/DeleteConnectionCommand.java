package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete connection ID}: {@code DELETE /api/v0/users/cloud_integrations/ID/}. */
@Command(name = "connection", mixinStandardHelpOptions = true, description = "Delete a cloud connection.")
public final class DeleteConnectionCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        var answer = api().delete("/users/cloud_integrations/" + id + "/", null);
        return reportSuccess(answer, answer.path("msg").asText("Cloud connection deleted."));
    }
}
