package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code show team-role NAME}: {@code GET /api/v0/team/roles/{name}/}, printed as JSON as vastai does. */
@Command(name = "team-role", mixinStandardHelpOptions = true, description = "Show a role of your team.")
public final class ShowTeamRoleCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
        printJson(api().get("/team/roles/" + name + "/"));
        return 0;
    }
}
