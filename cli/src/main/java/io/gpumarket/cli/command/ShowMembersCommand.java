package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import picocli.CommandLine.Command;

/** {@code show members}: {@code GET /api/v0/team/members/} with a team key. */
@Command(name = "members", mixinStandardHelpOptions = true, description = "Show your team's members.")
public final class ShowMembersCommand extends ClientCommand {
    @Override
    protected int run() {
        var rows = api().get("/team/members/");
        if (raw()) printJson(rows);
        else printTable(list(rows), Columns.TEAM_MEMBERS);
        return 0;
    }
}
