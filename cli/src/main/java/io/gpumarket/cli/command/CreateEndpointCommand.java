package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code create endpoint}: {@code POST /api/v0/endptjobs/}, with vastai's defaults (docs/serverless.md). */
@Command(name = "endpoint", mixinStandardHelpOptions = true, description = "Create a serverless endpoint.")
public final class CreateEndpointCommand extends ClientCommand {
    @Mixin
    EndpointOptions options = new EndpointOptions();

    @Override
    protected int run() {
        Map<String, Object> b = body("client_id", "me");
        options.into(b);
        // vastai's create defaults (update sends null for what is not given)
        if (b.get("min_load") == null) b.put("min_load", 0.0);
        if (b.get("min_cold_load") == null) b.put("min_cold_load", 0.0);
        if (b.get("target_util") == null) b.put("target_util", 0.9);
        if (b.get("cold_mult") == null) b.put("cold_mult", 2.5);
        if (b.get("cold_workers") == null) b.put("cold_workers", 5);
        if (b.get("max_workers") == null) b.put("max_workers", 20);
        var answer = api().post("/endptjobs/", b);
        if (raw()) printJson(answer);
        else out().println("create endpoint " + repr(answer));
        return 0;
    }
}
