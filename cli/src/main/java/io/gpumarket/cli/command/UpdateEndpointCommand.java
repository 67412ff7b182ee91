package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code update endpoint ID}: {@code PUT /api/v0/endptjobs/ID/}; fields not given are sent as null and kept. */
@Command(name = "endpoint", mixinStandardHelpOptions = true, description = "Change a serverless endpoint.")
public final class UpdateEndpointCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(names = "--endpoint_state", description = "active, suspended, or stopped")
    String state;

    @Mixin
    EndpointOptions options = new EndpointOptions();

    @Override
    protected int run() {
        Map<String, Object> b = body("client_id", "me", "endptjob_id", id);
        options.into(b);
        b.put("endpoint_state", state);
        var answer = api().put("/endptjobs/" + id + "/", b);
        if (raw()) printJson(answer);
        else out().println("update endpoint " + repr(answer));
        return 0;
    }
}
