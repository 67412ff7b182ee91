package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.SshKeys;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code update ssh-key ID KEY}: {@code PUT /api/v0/ssh/{id}/ {"id", "ssh_key"}}. */
@Command(name = "ssh-key", mixinStandardHelpOptions = true, description = "Replace the text of one of your SSH keys.")
public final class UpdateSshKeyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1", paramLabel = "KEY", description = "the new public key, or a .pub file")
    String key;

    @Override
    protected int run() throws IOException {
        return reportSuccess(
                api().put("/ssh/" + id + "/", body("id", id, "ssh_key", SshKeys.publicKey(key))),
                "ssh-key " + id + " updated.");
    }
}
