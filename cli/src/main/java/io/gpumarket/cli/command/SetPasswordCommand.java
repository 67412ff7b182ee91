package io.gpumarket.cli.command;

import io.gpumarket.cli.client.ClientCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code set password} (ours): sets the web console password of the key's account (a full-access key), read from
 * standard input so it never shows in the process list or the shell history. {@code --clear} removes it.
 * Either signs out the account's console sessions.
 */
@Command(
        name = "password",
        mixinStandardHelpOptions = true,
        description = "Set your web console password (read from standard input), or --clear it.")
public final class SetPasswordCommand extends ClientCommand {
    @Option(names = "--clear", description = "remove the password: the console then signs you in by API key only")
    boolean clear;

    @Override
    protected int run() throws IOException {
        String password = clear ? null : readPassword(env().in(), out());
        return reportSuccess(
                api().put("/users/current/password/", body("password", password)),
                "Console password " + (clear ? "removed" : "set") + "; your console sessions were signed out.");
    }

    /** One line of standard input (a prompt first), without its line end; refuses an empty one. */
    static String readPassword(java.io.InputStream in, java.io.PrintStream out) throws IOException {
        out.print("Password (at least 10 characters): ");
        out.flush();
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        out.println();
        if (line == null || line.isEmpty()) throw new IllegalArgumentException("no password on standard input");
        return line;
    }
}
