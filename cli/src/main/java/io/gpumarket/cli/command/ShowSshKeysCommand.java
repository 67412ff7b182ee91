package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import picocli.CommandLine.Command;

/** {@code show ssh-keys}: {@code GET /api/v0/ssh/}. */
@Command(name = "ssh-keys", mixinStandardHelpOptions = true, description = "List the SSH keys of your account.")
public final class ShowSshKeysCommand extends ClientCommand {
    @Override
    protected int run() {
        JsonNode keys = api().get("/ssh/");
        if (!keys.isArray() && keys.has("ssh_keys")) keys = keys.get("ssh_keys");
        if (raw()) printJson(keys);
        else printTable(list(keys), Columns.SSH_KEYS);
        return 0;
    }
}
