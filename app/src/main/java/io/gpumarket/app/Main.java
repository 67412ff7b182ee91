package io.gpumarket.app;

import io.gpumarket.app.command.AgentCommand;
import io.gpumarket.app.command.BackupCommand;
import io.gpumarket.app.command.DevCommand;
import io.gpumarket.app.command.RestoreCommand;
import io.gpumarket.app.command.ServerCommand;
import io.gpumarket.cli.client.CliEnv;
import picocli.CommandLine;

/**
 * The runnable jar's entry point: the client's command line ({@link io.gpumarket.cli.Main}) plus the processes this
 * jar can be — {@code server}, {@code dev} (server, demo market and local agents) and {@code agent}. Keeping these
 * here is what lets the {@code cli} module stay free of Jetty, JDBI and the agent's SSH server.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(CliEnv.system(), args));
    }

    public static int run(String... args) {
        return run(CliEnv.system(), args);
    }

    /** Runs one command line in {@code env} (its variables and streams) and answers the exit code. */
    public static int run(CliEnv env, String... args) {
        CommandLine cl = io.gpumarket.cli.Main.commandLine(env);
        cl.addSubcommand(new ServerCommand());
        cl.addSubcommand(new DevCommand());
        cl.addSubcommand(new AgentCommand());
        // the operator's verbs that work on the database file itself, beside the admin API's verbs
        cl.getSubcommands().get("admin").addSubcommand(new BackupCommand());
        cl.getSubcommands().get("admin").addSubcommand(new RestoreCommand());
        // picocli hands its streams only to the subcommands it has when they are set: again, for the ones added here
        cl.setOut(cl.getOut());
        cl.setErr(cl.getErr());
        return cl.execute(args);
    }
}
