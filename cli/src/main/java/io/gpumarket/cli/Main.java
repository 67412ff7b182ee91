package io.gpumarket.cli;

import io.gpumarket.cli.client.CliEnv;
import io.gpumarket.cli.client.CliRoot;
import io.gpumarket.cli.client.ClientOptions;
import io.gpumarket.cli.command.AdminCommand;
import io.gpumarket.cli.command.CopyCommand;
import io.gpumarket.cli.command.ExecuteCommand;
import io.gpumarket.cli.command.LogsCommand;
import io.gpumarket.cli.command.ReportsCommand;
import io.gpumarket.cli.command.ScpUrlCommand;
import io.gpumarket.cli.command.SshCommand;
import io.gpumarket.cli.command.SshUrlCommand;
import io.gpumarket.cli.command.VerbGroups;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code gpumarket} client: the admin commands and the client verbs spelled as vastai spells them
 * ({@code gpumarket search offers '…'}, {@code gpumarket show instances} …), all over HTTP. Verbs are one class each
 * under {@code command/}; their groups are listed in {@link VerbGroups}. The runnable jar's entry point
 * ({@code io.gpumarket.app.Main}, module {@code app}) adds the {@code server}, {@code dev} and {@code agent} processes
 * to this same command line, so this module needs nothing of the server or the agent.
 */
@Command(
        name = "gpumarket",
        mixinStandardHelpOptions = true,
        version = "gpumarket 0.1.0",
        description = "A self-hostable GPU marketplace with a Vast.ai-compatible API.",
        subcommands = {
            AdminCommand.class,
            VerbGroups.Search.class,
            VerbGroups.Metrics.class,
            VerbGroups.Create.class,
            VerbGroups.Show.class,
            VerbGroups.Start.class,
            VerbGroups.Stop.class,
            VerbGroups.Reboot.class,
            VerbGroups.Recycle.class,
            VerbGroups.Migrate.class,
            VerbGroups.Prepay.class,
            VerbGroups.Accept.class,
            VerbGroups.Reject.class,
            VerbGroups.Destroy.class,
            VerbGroups.Label.class,
            VerbGroups.Set.class,
            VerbGroups.Delete.class,
            VerbGroups.Update.class,
            VerbGroups.Wait.class,
            VerbGroups.Transfer.class,
            VerbGroups.Register.class,
            VerbGroups.ListVerb.class,
            VerbGroups.Unlist.class,
            VerbGroups.Schedule.class,
            VerbGroups.Change.class,
            VerbGroups.Cancel.class,
            VerbGroups.Cloud.class,
            VerbGroups.Report.class,
            VerbGroups.Invite.class,
            VerbGroups.Join.class,
            VerbGroups.Remove.class,
            ReportsCommand.class,
            CopyCommand.class,
            SshCommand.class,
            LogsCommand.class,
            ExecuteCommand.class,
            SshUrlCommand.class,
            ScpUrlCommand.class
        })
public final class Main implements Runnable, CliRoot {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    ClientOptions options = new ClientOptions();

    private final CliEnv env;

    public Main() {
        this(CliEnv.system());
    }

    public Main(CliEnv env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(CliEnv.system(), args);
    }

    /** Runs one command line in {@code env} (its variables and streams) and answers the exit code. */
    public static int run(CliEnv env, String... args) {
        return commandLine(env).execute(args);
    }

    /** The client's command line in {@code env}, ready to run or to gain more subcommands. */
    public static CommandLine commandLine(CliEnv env) {
        CommandLine cl = new CommandLine(new Main(env))
                .setOut(new PrintWriter(env.out(), true))
                .setErr(new PrintWriter(env.err(), true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("error: " + e.getMessage());
                    return 1;
                });
        // `ssh ID cmd -x` and `create instance … --args …`: what follows belongs to the remote command
        cl.getSubcommands().get("ssh").setStopAtPositional(true);
        return cl;
    }

    @Override
    public CliEnv env() {
        return env;
    }

    @Override
    public ClientOptions rootOptions() {
        return options;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
