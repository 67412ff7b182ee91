package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cloud copy --src SRC --dst DST --instance ID --connection ID --transfer "Instance To Cloud"}, vastai's
 * grammar and body: {@code POST /api/v0/commands/rclone/} with {@code {"src", "dst", "instance_id", "selected",
 * "transfer", "flags"}} (docs/copy.md "Cloud copy"). The copy runs on the instance's machine; its progress shows in
 * the instance's status_msg.
 */
@Command(
        name = "copy",
        mixinStandardHelpOptions = true,
        description = "Copy files between an instance and a cloud connection (S3-compatible storage).")
public final class CloudCopyCommand extends ClientCommand {
    @Option(names = "--src", description = "path to the source: in the instance, or bucket/prefix in the cloud")
    String src;

    @Option(names = "--dst", defaultValue = "/workspace", description = "path to the target (default /workspace)")
    String dst;

    @Option(names = "--instance", required = true, description = "id of the instance")
    String instance;

    @Option(names = "--connection", required = true, description = "id of the cloud connection (show connections)")
    String connection;

    @Option(
            names = "--transfer",
            defaultValue = "Instance to Cloud",
            description = "\"Instance To Cloud\" or \"Cloud To Instance\"")
    String transfer;

    @Option(names = "--dry-run", description = "show what would have been transferred")
    boolean dryRun;

    @Option(names = "--size-only", description = "skip based on size only, not mod-time or checksum")
    boolean sizeOnly;

    @Option(names = "--ignore-existing", description = "skip all files that exist on destination")
    boolean ignoreExisting;

    @Option(names = "--update", description = "skip files that are newer on the destination")
    boolean update;

    @Option(names = "--delete-excluded", description = "delete files on dest excluded from transfer")
    boolean deleteExcluded;

    @Override
    protected int run() {
        if (src == null && dst == null) {
            out().println("invalid arguments");
            return 1;
        }
        List<String> flags = new ArrayList<>();
        if (dryRun) flags.add("--dry-run");
        if (sizeOnly) flags.add("--size-only");
        if (ignoreExisting) flags.add("--ignore-existing");
        if (update) flags.add("--update");
        if (deleteExcluded) flags.add("--delete-excluded");
        out().println("copying " + src + " " + dst + " " + instance + " " + connection + " " + transfer);
        JsonNode answer = api().post(
                        "/commands/rclone/",
                        body(
                                "src", src,
                                "dst", dst,
                                "instance_id", instance,
                                "selected", connection,
                                "transfer", transfer,
                                "flags", flags));
        if (raw()) {
            printJson(answer);
            return 0;
        }
        return reportSuccess(
                answer,
                "Cloud Copy Started - check instance status bar for progress updates (~30 seconds delayed).\n"
                        + "When the operation is finished you should see 'Cloud Copy Operation Finished' in the"
                        + " instance status bar.");
    }
}
