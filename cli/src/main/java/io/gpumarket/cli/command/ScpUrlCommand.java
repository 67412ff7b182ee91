package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.client.Instances;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code scp-url ID}: the instance's SSH address as {@code scp://root@HOST:PORT} (see {@link SshUrlCommand}). */
@Command(name = "scp-url", mixinStandardHelpOptions = true, description = "Print scp://root@HOST:PORT of an instance.")
public final class ScpUrlCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Override
    protected int run() {
        var instance =
                Instances.show(api(), id).orElseThrow(() -> new Failure("error: no instance found with id " + id));
        var target = Instances.sshTarget(instance).orElseThrow(() -> new Failure("error: ssh port not found"));
        out().println(target.url("scp"));
        return 0;
    }
}
