package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.ClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code set api-key KEY}: saves the key for later commands in {@code $XDG_CONFIG_HOME/gpumarket/api_key} (else
 * {@code ~/.config/gpumarket/api_key}), readable by you only (0600). No request is made, as in vastai.
 */
@Command(
        name = "api-key",
        mixinStandardHelpOptions = true,
        description = "Save your API key for later commands (file mode 0600).")
public final class SetApiKeyCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "KEY")
    String key;

    @Override
    protected int run() {
        out().println("Your api key has been saved in " + ClientConfig.saveKey(env(), key));
        return 0;
    }
}
