package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code create team-role --name NAME --permissions FILE}: {@code POST /api/v0/team/roles/}. */
@Command(name = "team-role", mixinStandardHelpOptions = true, description = "Add a role to your team.")
public final class CreateTeamRoleCommand extends ClientCommand {
    @Option(names = "--name", required = true, description = "name of the role")
    String name;

    @Option(
            names = "--permissions",
            required = true,
            description = "a JSON permission document: a file's path, or the JSON itself")
    String permissions;

    @Override
    protected int run() throws IOException {
        JsonNode answer =
                api().post("/team/roles/", body("name", name, "permissions", TeamRolePermissions.read(permissions)));
        return reportSuccess(answer, "Role " + name + " created (id " + answer.path("id") + ").");
    }
}
