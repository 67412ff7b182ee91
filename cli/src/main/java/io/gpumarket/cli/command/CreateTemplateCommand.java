package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code create template …}: {@code POST /api/v0/template/} with vastai's body (see {@link TemplateOptions}). */
@Command(
        name = "template",
        mixinStandardHelpOptions = true,
        description = "Create a template (image, env, onstart, launch mode, offer filters).",
        footer = {
            "",
            "Example: gpumarket create template --name pytorch --image pytorch/pytorch --ssh --direct \\",
            "           --env '-e TZ=UTC -p 8080:8080' --onstart-cmd 'echo hi' --search_params 'gpu_ram>=24 num_gpus=1'"
        })
public final class CreateTemplateCommand extends ClientCommand {
    @Mixin
    TemplateOptions template = new TemplateOptions();

    @Override
    protected int run() {
        JsonNode answer = api().post("/template/", template.body(null, err()::println));
        if (raw()) {
            printJson(answer);
            return answer.path("success").asBoolean(true) ? 0 : 1;
        }
        if (answer.path("success").asBoolean(false)) {
            out().println("New Template: " + repr(answer.path("template")));
            return 0;
        }
        err().println(answer.path("msg").asText(answer.toString()));
        return 1;
    }
}
