package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;

/** {@code destroy team}: {@code DELETE /api/v0/team/} with the owner's team key; the team's credit goes back. */
@Command(name = "team", mixinStandardHelpOptions = true, description = "Destroy your team (its owner only).")
public final class DestroyTeamCommand extends ClientCommand {
    @Override
    protected int run() {
        JsonNode answer = api().delete("/team/", body());
        return reportSuccess(
                answer, "Team destroyed; $" + answer.path("returned_credit").asText("0") + " returned to its owner.");
    }
}
