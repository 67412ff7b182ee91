package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code cancel sync DST}: stops the cloud copies on instance DST, {@code DELETE /api/v0/commands/rclone/}. */
@Command(name = "sync", mixinStandardHelpOptions = true, description = "Cancel the cloud copies on an instance.")
public final class CancelSyncCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "DST")
    String dst;

    @Override
    protected int run() {
        out().println("canceling remote copies to " + dst + " ");
        JsonNode answer = api().delete("/commands/rclone/", body("client_id", "me", "dst_id", dst));
        return reportSuccess(answer, answer.path("msg").asText("Remote copy canceled"));
    }
}
