package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.client.Instances;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code ssh-url ID}: {@code ssh://root@HOST:PORT} as vastai computes it (docs/vast-compatibility.md §f.5): the direct {@code 22/tcp}
 * mapping when the instance runs with one, else {@code ssh_host}:{@code ssh_port}. Unlike vastai nothing is
 * cached: the address always comes from the server.
 */
@Command(name = "ssh-url", mixinStandardHelpOptions = true, description = "Print ssh://root@HOST:PORT of an instance.")
public final class SshUrlCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        var instance =
                Instances.show(api(), id).orElseThrow(() -> new Failure("error: no instance found with id " + id));
        var target = Instances.sshTarget(instance).orElseThrow(() -> new Failure("error: ssh port not found"));
        out().println(target.url("ssh"));
        return 0;
    }
}
