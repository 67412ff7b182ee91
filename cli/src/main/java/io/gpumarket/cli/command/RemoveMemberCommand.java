package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code remove member ID}: {@code DELETE /api/v0/team/members/{id}/}; their team keys stop at once. */
@Command(name = "member", mixinStandardHelpOptions = true, description = "Remove a team member.")
public final class RemoveMemberCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "the member's account id")
    long id;

    @Override
    protected int run() {
        JsonNode answer = api().delete("/team/members/" + id + "/", body());
        return reportSuccess(answer, answer.path("message").asText("User removed from the team."));
    }
}
