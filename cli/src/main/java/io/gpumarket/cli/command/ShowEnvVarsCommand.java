package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import java.util.Iterator;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code show env-vars [-s]}: {@code GET /api/v0/secrets/}, printed as vastai prints it ({@code Name:}/{@code Value:}
 * blocks, values hidden unless {@code -s}). The server never sends a value back, so {@code -s} shows its mask.
 */
@Command(name = "env-vars", mixinStandardHelpOptions = true, description = "Show your account's environment variables.")
public final class ShowEnvVarsCommand extends ClientCommand {
    @Option(
            names = {"-s", "--show-values"},
            description = "show the values (the server answers them masked)")
    boolean showValues;

    @Override
    protected int run() {
        JsonNode vars = api().get("/secrets/").path("secrets");
        if (raw()) {
            printJson(vars);
        } else if (vars.isEmpty()) {
            out().println("No environment variables found.");
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = vars.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out().println("Name: " + e.getKey());
                out().println("Value: " + (showValues ? e.getValue().asText() : "*****"));
                out().println("---");
            }
        }
        if (!showValues) out().println("\nNote: Values are hidden. Use --show-values or -s option to display them.");
        return 0;
    }
}
