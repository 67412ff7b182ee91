package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code create subaccount --email E --username U [--password P] [--type host|client]}: {@code POST /api/v0/users/}
 * with {@code parent_id: "me"}, the body vastai sends. Prints the new account's key (shown once).
 */
@Command(name = "subaccount", mixinStandardHelpOptions = true, description = "Create a subaccount of yours.")
public final class CreateSubaccountCommand extends ClientCommand {
    @Option(names = "--email", required = true, description = "email of the new account")
    String email;

    @Option(names = "--username", required = true, description = "username of the new account")
    String username;

    @Option(names = "--password", description = "its console password (10 characters or more)")
    String password;

    @Option(names = "--type", description = "host or client")
    String type;

    @Override
    protected int run() {
        boolean hostOnly = type != null && type.equalsIgnoreCase("host");
        JsonNode answer = api().post(
                        "/users/",
                        body(
                                "email", email,
                                "username", username,
                                "password", password,
                                "host_only", hostOnly,
                                "parent_id", "me"));
        return reportSuccess(
                answer,
                "Subaccount " + answer.path("id") + " (" + email + ") created. Its key, shown once: "
                        + answer.path("api_key").asText());
    }
}
