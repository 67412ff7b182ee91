package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete webhook ID}: {@code DELETE /api/v0/webhooks/{id}/}. */
@Command(name = "webhook", mixinStandardHelpOptions = true, description = "Delete a notification webhook.")
public final class DeleteWebhookCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        return reportSuccess(api().delete("/webhooks/" + id + "/", body()), "webhook " + id + " deleted.");
    }
}
