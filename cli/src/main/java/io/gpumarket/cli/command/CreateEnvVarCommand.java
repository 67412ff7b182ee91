package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code create env-var NAME VALUE}: {@code POST /api/v0/secrets/ {"key", "value"}}. */
@Command(name = "env-var", mixinStandardHelpOptions = true, description = "Create an account environment variable.")
public final class CreateEnvVarCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "VALUE")
    String value;

    @Override
    protected int run() {
        var answer = api().post("/secrets/", body("key", name, "value", value));
        return reportSuccess(answer, answer.path("msg").asText("Environment variable created successfully."));
    }
}
