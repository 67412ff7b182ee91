package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code update template HASH_ID …}: {@code PUT /api/v0/template/} with every field (unset ones as null/false,
 * as vastai sends them); the template's {@code hash_id} changes with its content.
 */
@Command(
        name = "template",
        mixinStandardHelpOptions = true,
        description = "Change a template (all fields are sent; give the ones it should keep).")
public final class UpdateTemplateCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "HASH_ID")
    String hashId;

    @Mixin
    TemplateOptions template = new TemplateOptions();

    @Override
    protected int run() {
        JsonNode answer = api().put("/template/", template.body(hashId, err()::println));
        if (raw()) {
            printJson(answer);
            return answer.path("success").asBoolean(true) ? 0 : 1;
        }
        if (answer.path("success").asBoolean(false)) {
            printJson(answer.path("template"));
            return 0;
        }
        err().println("template update failed"
                + (answer.has("msg") ? ": " + answer.get("msg").asText() : ""));
        return 1;
    }
}
