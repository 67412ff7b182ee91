package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code report instance ID --problem P [--message M]}: a renter tells the machine's host what went wrong, {@code
 * POST /api/v0/instances/{id}/reports/} (ours: vastai has no verb for the site's report button).
 */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description = "Report a problem with the machine an instance runs (or ran) on.")
public final class ReportInstanceCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(names = "--problem", required = true, description = "what is wrong, in a few words")
    String problem;

    @Option(names = "--message", defaultValue = "", description = "what happened")
    String message;

    @Override
    protected int run() {
        return reportSuccess(
                api().post("/instances/" + id + "/reports/", body("problem", problem, "message", message)),
                "Reported machine of instance " + id + ": " + problem);
    }
}
