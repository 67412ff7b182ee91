package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code remove team-role NAME}: {@code DELETE /api/v0/team/roles/{name}/}. */
@Command(name = "team-role", mixinStandardHelpOptions = true, description = "Remove a role from your team.")
public final class RemoveTeamRoleCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    protected int run() {
        JsonNode answer = api().delete("/team/roles/" + name + "/", body());
        return reportSuccess(answer, answer.path("message").asText("Role removed from team"));
    }
}
