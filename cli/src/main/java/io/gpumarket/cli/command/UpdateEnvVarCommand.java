package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code update env-var NAME VALUE}: {@code PUT /api/v0/secrets/ {"key", "value"}}. */
@Command(name = "env-var", mixinStandardHelpOptions = true, description = "Change an account environment variable.")
public final class UpdateEnvVarCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    protected int run() {
        var answer = api().put("/secrets/", body("key", name, "value", value));
        return reportSuccess(answer, answer.path("msg").asText("Environment variable updated successfully."));
    }
}
