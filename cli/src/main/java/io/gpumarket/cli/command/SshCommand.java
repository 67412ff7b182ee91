package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Failure;
import io.gpumarket.cli.client.Instances;
import io.gpumarket.cli.client.Processes;
import io.gpumarket.cli.client.SshOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ssh ID [COMMAND…]}: runs the system {@code ssh} to the instance's SSH address as root, a shell or the
 * command; exits with ssh's exit code. Words after the id belong to the remote command.
 */
@Command(
        name = "ssh",
        mixinStandardHelpOptions = true,
        description = "Open a shell in an instance, or run a command there, with the system ssh.",
        footer = {"", "Example: gpumarket ssh 42            gpumarket ssh -i ~/.ssh/other 42 nvidia-smi -L"})
public final class SshCommand extends ClientCommand {
    @Mixin
    SshOptions ssh = new SshOptions();

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Parameters(index = "1..*", paramLabel = "COMMAND", description = "run this instead of a shell")
    List<String> command;

    @Override
    protected int run() throws IOException, InterruptedException {
        var instance =
                Instances.show(api(), id).orElseThrow(() -> new Failure("error: no instance found with id " + id));
        var target = Instances.sshTarget(instance).orElseThrow(() -> new Failure("error: ssh port not found"));
        List<String> argv = new ArrayList<>(ssh.ssh(target.port()));
        argv.add("root@" + target.host());
        if (command != null && !command.isEmpty()) argv.add(String.join(" ", command));
        return Processes.run(env(), argv);
    }
}
