package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete env-var NAME}: {@code DELETE /api/v0/secrets/ {"key"}}. */
@Command(name = "env-var", mixinStandardHelpOptions = true, description = "Delete an account environment variable.")
public final class DeleteEnvVarCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
        var answer = api().delete("/secrets/", body("key", name));
        return reportSuccess(answer, answer.path("msg").asText("Environment variable deleted successfully."));
    }
}
