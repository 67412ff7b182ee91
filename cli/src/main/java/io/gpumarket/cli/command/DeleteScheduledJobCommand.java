package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code delete scheduled-job ID}: {@code DELETE /api/v0/commands/schedule_job/{id}/}; prints the answer. */
@Command(name = "scheduled-job", mixinStandardHelpOptions = true, description = "Delete a scheduled job.")
public final class DeleteScheduledJobCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        out().println(repr(api().delete("/commands/schedule_job/" + id + "/", body())));
        return 0;
    }
}
