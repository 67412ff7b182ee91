package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code create team --team-name NAME [--transfer-credit DOLLARS]}: {@code POST /api/v0/team/}. The team is an
 * account of its own; the answer's team key (shown once) is how its owner acts in it (docs/teams.md).
 */
@Command(name = "team", mixinStandardHelpOptions = true, description = "Create a team (an account of its own).")
public final class CreateTeamCommand extends ClientCommand {
    @Option(
            names = {"--team-name", "--team_name"},
            required = true,
            description = "name of the team")
    String name;

    @Option(
            names = {"--transfer-credit", "--transfer_credit"},
            defaultValue = "0",
            description = "dollars of your credit to move to the team")
    double transferCredit;

    @Override
    protected int run() {
        JsonNode answer = api().post("/team/", body("team_name", name, "transfer_credit", transferCredit));
        return reportSuccess(
                answer,
                "Team " + answer.path("team_name").asText() + " created (account " + answer.path("team_id")
                        + "). Your team key, shown once: "
                        + answer.path("api_key").asText());
    }
}
