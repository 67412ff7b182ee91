package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code join team TOKEN} (ours; Vast's invitee follows the mailed link): {@code GET /api/v0/team/invite/{token}/}
 * with your own key. Prints the team key you act in the team with.
 */
@Command(name = "team", mixinStandardHelpOptions = true, description = "Redeem a team invitation.")
public final class JoinTeamCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "TOKEN")
    String token;

    @Override
    protected int run() {
        JsonNode answer = api().get("/team/invite/" + token + "/");
        return reportSuccess(
                answer,
                answer.path("msg").asText() + ". Your team key, shown once: "
                        + answer.path("api_key").asText());
    }
}
