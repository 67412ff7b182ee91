package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code update team-role ID [--name NAME] [--permissions FILE]}: {@code PUT /api/v0/team/roles/{id}/}. */
@Command(name = "team-role", mixinStandardHelpOptions = true, description = "Change a role of your team.")
public final class UpdateTeamRoleCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    String id;

    @Option(names = "--name", description = "new name of the role")
    String name;

    @Option(names = "--permissions", description = "a JSON permission document: a file's path, or the JSON itself")
    String permissions;

    @Override
    protected int run() throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (name != null) body.put("name", name);
        if (permissions != null) body.put("permissions", TeamRolePermissions.read(permissions));
        JsonNode answer = api().put("/team/roles/" + id + "/", body);
        return reportSuccess(answer, answer.path("msg").asText("Role updated."));
    }
}
