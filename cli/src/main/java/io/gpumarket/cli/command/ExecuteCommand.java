package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code execute ID COMMAND}: {@code PUT /api/v0/instances/command/{id}/ {"command"}} (ls, rm or du), then polls
 * the {@code result_url} without credentials every 0.3 s and prints it with {@code writeable_path} removed, as
 * vastai does.
 */
@Command(
        name = "execute",
        mixinStandardHelpOptions = true,
        description = "Execute a constrained command (ls, rm, du) on an instance.")
public final class ExecuteCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1", paramLabel = "COMMAND")
    String command;

    @Option(
            names = "--timeout",
            defaultValue = "30",
            description = "seconds to wait for the result (default ${DEFAULT-VALUE})")
    double timeout;

    @Override
    protected int run() throws InterruptedException {
        JsonNode answer = api().put("/instances/command/" + id + "/", body("command", command));
        String url = answer.path("result_url").asText(null);
        if (url == null) {
            if (raw()) printJson(answer);
            else err().println(answer.path("msg").asText(answer.toString()));
            return 1;
        }
        String strip = answer.path("writeable_path").asText("");
        long deadline = System.nanoTime() + (long) (timeout * 1e9);
        while (true) {
            Thread.sleep(300);
            GpuMarketClient.Text result = api().fetch(url);
            if (result.status() == 200) {
                String text = strip.isEmpty() ? result.body() : result.body().replace(strip, "");
                out().print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                throw new Failure("error: the result of instance " + id + "'s command was not ready after " + timeout
                        + " s (last answer HTTP " + result.status() + " at " + url + ")");
            }
        }
    }
}
