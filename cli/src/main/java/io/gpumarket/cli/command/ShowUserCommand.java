package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Columns;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code show user}: {@code GET /api/v0/users/current/}, without any {@code api_key} field (as vastai shows it). */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = "Show your account: balance, credit, email, SSH key.")
public final class ShowUserCommand extends ClientCommand {
    @Option(
            names = {"-q", "--quiet"},
            description = "only print the user id")
    boolean quiet;

    @Override
    protected int run() {
        JsonNode user = api().get("/users/current/");
        if (user instanceof ObjectNode o) o.remove("api_key");
        if (raw()) printJson(user);
        else if (quiet) out().println(user.path("id").asText());
        else printTable(List.of(user), Columns.USER);
        return 0;
    }
}
