package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete ssh-key ID}: {@code DELETE /api/v0/ssh/{id}/}; the key stops working at once. */
@Command(name = "ssh-key", mixinStandardHelpOptions = true, description = "Remove an SSH key from your account.")
public final class DeleteSshKeyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        return reportSuccess(api().delete("/ssh/" + id + "/", body()), "ssh-key " + id + " deleted.");
    }
}
