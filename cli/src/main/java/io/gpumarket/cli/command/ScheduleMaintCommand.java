package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.io.IOException;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code schedule maint ID --sdate EPOCH --duration HOURS}: announces a maintenance window to the machine's
 * renters, {@code PUT /api/v0/machines/{id}/dnotify/} with vastai's body, after a confirmation ({@code -y}).
 */
@Command(
        name = "maint",
        aliases = "maintenance",
        mixinStandardHelpOptions = true,
        description = "[Host] Announce a maintenance window to a machine's renters.")
public final class ScheduleMaintCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(names = "--sdate", required = true, description = "start, epoch seconds (UTC)")
    double sdate;

    @Option(names = "--duration", required = true, description = "hours")
    double duration;

    @Option(
            names = "--maintenance_category",
            defaultValue = "not provided",
            description = "power, internet, disk, gpu, software or other")
    String category;

    @Option(
            names = {"-y", "--yes"},
            description = "do not ask")
    boolean yes;

    @Override
    protected int run() throws IOException {
        Instant start = Instant.ofEpochMilli((long) (sdate * 1000));
        out().println("Scheduling maintenance window starting " + start + " lasting " + duration + " hours");
        out().println("This will notify all clients of this machine.");
        if (!yes && !confirm("Continue? [y/n] ")) return 1;
        return reportSuccess(
                api().put(
                                "/machines/" + id + "/dnotify/",
                                body(
                                        "client_id",
                                        "me",
                                        "sdate",
                                        sdate,
                                        "duration",
                                        duration,
                                        "maintenance_category",
                                        category)),
                "Maintenance window scheduled for " + start + " success");
    }
}
