package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code invite member --email EMAIL --role ROLE}: {@code POST /api/v0/team/invite/?email=&role=} as vastai sends it.
 * No mail is sent here: the token printed is handed to the invitee, who runs {@code join team TOKEN}.
 */
@Command(name = "member", mixinStandardHelpOptions = true, description = "Invite a team member.")
public final class InviteMemberCommand extends ClientCommand {
    @Option(names = "--email", required = true, description = "email of the account to invite")
    String email;

    @Option(names = "--role", required = true, description = "name of one of the team's roles")
    String role;

    @Override
    protected int run() {
        JsonNode answer = api().call("POST", "/team/invite/", Map.of("email", email, "role", role), null);
        return reportSuccess(
                answer,
                "successfully invited " + email + " to your current team\n"
                        + "The invitee joins with: gpumarket join team "
                        + answer.path("token").asText());
    }
}
