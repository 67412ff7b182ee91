package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;

/** {@code show team-roles}: {@code GET /api/v0/team/roles-full/}, printed as JSON as vastai does. */
@Command(name = "team-roles", mixinStandardHelpOptions = true, description = "Show your team's roles.")
public final class ShowTeamRolesCommand extends ClientCommand {
    @Override
    protected int run() {
        printJson(api().get("/team/roles-full/"));
        return 0;
    }
}
