package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code logs ID}: asks for the instance's output ({@code PUT /api/v0/instances/request_logs/{id}/}, tail and
 * filter as vastai sends them: strings, only when given), then polls the {@code result_url} it answers, without
 * credentials, every 0.3 s until the agent has uploaded it.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Print an instance's logs.")
public final class LogsCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "INSTANCE_ID")
    long id;

    @Option(names = "--tail", description = "only the last N lines (default: the server's, 1000)")
    String tail;

    @Option(names = "--filter", description = "only lines containing this text (grep)")
    String filter;

    @Option(names = "--daemon-logs", description = "the host daemon's logs instead of the instance's")
    boolean daemonLogs;

    @Option(
            names = "--timeout",
            defaultValue = "30",
            description = "seconds to wait for the logs (default ${DEFAULT-VALUE})")
    double timeout;

    @Override
    protected int run() throws InterruptedException {
        Map<String, Object> body = body();
        if (filter != null && !filter.isEmpty()) body.put("filter", filter);
        if (tail != null && !tail.isEmpty()) body.put("tail", tail);
        if (daemonLogs) body.put("daemon_logs", "true");
        JsonNode answer = api().put("/instances/request_logs/" + id + "/", body);
        String url = answer.path("result_url").asText(null);
        if (url == null) {
            if (raw()) printJson(answer);
            else out().println(answer.path("msg").asText(answer.toString()));
            return answer.path("success").asBoolean(false) ? 0 : 1;
        }
        long deadline = System.nanoTime() + (long) (timeout * 1e9);
        while (true) {
            Thread.sleep(300);
            GpuMarketClient.Text logs = api().fetch(url);
            if (logs.status() == 200) {
                String text = logs.body().replaceAll("\n\\s*\n", "\n");
                out().print(text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
                return 0;
            }
            if (System.nanoTime() > deadline) {
                throw new Failure("error: the logs of instance " + id + " were not ready after " + timeout
                        + " s (last answer HTTP " + logs.status() + " at " + url + "); is its host's agent online?");
            }
        }
    }
}
