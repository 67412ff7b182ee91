package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code create workergroup}: {@code POST /api/v0/autojobs/} as vastai sends it; unless {@code -n}, the search gets
 * vastai's default {@code verified=True rentable=True rented=False}.
 */
@Command(name = "workergroup", mixinStandardHelpOptions = true, description = "Create a serverless worker group.")
public final class CreateWorkergroupCommand extends ClientCommand {
    @Option(names = "--template_hash", description = "the template its workers run")
    String templateHash;

    @Option(names = "--template_id", description = "template id (optional)")
    Long templateId;

    @Option(
            names = {"-n", "--no-default"},
            description = "no default search terms")
    boolean noDefault;

    @Option(names = "--launch_args", description = "launch args for create instance")
    String launchArgs;

    @Option(names = "--endpoint_name", description = "the endpoint's name")
    String endpointName;

    @Option(names = "--endpoint_id", description = "the endpoint's id")
    Long endpointId;

    @Option(names = "--test_workers", defaultValue = "3", description = "workers for a performance estimate")
    int testWorkers;

    @Option(names = "--gpu_ram", description = "GPU RAM needed (GB)")
    Double gpuRam;

    @Option(names = "--search_params", description = "offer search, in vastai's query language")
    String searchParams;

    @Option(names = "--cold_workers", description = "cold workers for this group")
    Integer coldWorkers;

    @Override
    protected int run() {
        String search = ((searchParams == null ? "" : searchParams)
                        + (noDefault ? "" : " verified=True rentable=True rented=False"))
                .strip();
        var answer = api().post(
                        "/autojobs/",
                        body(
                                "client_id", "me",
                                "cold_workers", coldWorkers,
                                "test_workers", testWorkers,
                                "template_hash", templateHash,
                                "template_id", templateId,
                                "search_params", search,
                                "launch_args", launchArgs,
                                "gpu_ram", gpuRam,
                                "endpoint_name", endpointName,
                                "endpoint_id", endpointId,
                                "autoscaler_instance", "prod"));
        if (raw()) printJson(answer);
        else out().println("workergroup create " + repr(answer));
        return 0;
    }
}
