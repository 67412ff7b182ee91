package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cancel copy DST}: stops the instance-to-instance copies into instance DST, {@code DELETE
 * /api/v0/commands/copy_direct/} with vastai's body {@code {"client_id": "me", "dst_id": DST}}.
 */
@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = "Cancel the remote copies going into an instance.")
public final class CancelCopyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "DST")
    String dst;

    @Override
    protected int run() {
        out().println("canceling remote copies to " + dst + " ");
        JsonNode answer = api().delete("/commands/copy_direct/", body("client_id", "me", "dst_id", dst));
        return reportSuccess(answer, answer.path("msg").asText("Remote copy canceled"));
    }
}
