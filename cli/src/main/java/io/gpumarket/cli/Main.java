package io.gpumarket.cli;

import io.gpumarket.cli.command.AdminCommand;
import io.gpumarket.cli.command.AgentCommand;
import io.gpumarket.cli.command.DevCommand;
import io.gpumarket.cli.command.ServerCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gpumarket} command. Subcommands are one class each under {@code command/}. */
@Command(name = "gpumarket", mixinStandardHelpOptions = true, version = "gpumarket 0.1.0",
        description = "A self-hostable GPU marketplace with a Vast.ai-compatible API.",
        subcommands = {ServerCommand.class, DevCommand.class, AgentCommand.class, AdminCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                })
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
