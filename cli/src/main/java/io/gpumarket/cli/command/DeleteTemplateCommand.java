package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delete template --template-id ID | --hash-id HASH}: {@code DELETE /api/v0/template/}. */
@Command(name = "template", mixinStandardHelpOptions = true, description = "Delete one of your templates.")
public final class DeleteTemplateCommand extends ClientCommand {
    @Option(names = "--template-id", description = "the template's numeric id")
    Long templateId;

    @Option(names = "--hash-id", description = "the template's hash_id")
    String hashId;

    @Override
    protected int run() {
        if ((hashId == null || hashId.isEmpty()) && templateId == null) {
            throw new Failure("ERROR: Must Specify either Template ID or Hash ID to delete a template");
        }
        JsonNode answer = api().delete(
                        "/template/",
                        hashId != null && !hashId.isEmpty()
                                ? body("hash_id", hashId)
                                : body("template_id", templateId));
        return reportSuccess(answer, answer.path("msg").asText("template deleted."));
    }
}
