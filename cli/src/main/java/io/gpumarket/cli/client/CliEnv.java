package io.gpumarket.cli.client;

import java.io.ByteArrayInputStream;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a client verb takes from its surroundings: environment variables, the three standard streams,
 * whether they are a terminal, and whether child processes ({@code ssh}, {@code rsync}) inherit them. The real
 * CLI uses {@link #system()}; tests run verbs in process with their own variables and captured streams.
 *
 * @param inheritIo child processes use this process's stdin/stdout/stderr (false: their output is copied into
 *                  {@code out}/{@code err} and their stdin is empty)
 */
public record CliEnv(
        Map<String, String> vars,
        InputStream in,
        PrintStream out,
        PrintStream err,
        boolean terminal,
        boolean inheritIo) {

    public static CliEnv system() {
        return new CliEnv(System.getenv(), System.in, System.out, System.err, isTerminal(), true);
    }

    /** A captured environment: no terminal, empty stdin, child processes' output copied into the streams. */
    public static CliEnv captured(Map<String, String> vars, PrintStream out, PrintStream err) {
        return new CliEnv(vars, new ByteArrayInputStream(new byte[0]), out, err, false, false);
    }

    public CliEnv withTerminal(boolean terminal) {
        return new CliEnv(vars, in, out, err, terminal, inheritIo);
    }

    public CliEnv withInput(InputStream input) {
        return new CliEnv(vars, input, out, err, terminal, inheritIo);
    }

    /** A variable, null when unset or blank. */
    public String var(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** {@code $XDG_CONFIG_HOME/gpumarket}, else {@code ~/.config/gpumarket}. */
    public Path configDir() {
        String xdg = var("XDG_CONFIG_HOME");
        if (xdg != null) return Path.of(xdg, "gpumarket");
        String home = var("HOME");
        return Path.of(home != null ? home : System.getProperty("user.home"), ".config", "gpumarket");
    }

    /**
     * Whether stdin and stdout are a terminal. From JDK 22 {@link System#console()} answers a console even when
     * redirected and {@code Console.isTerminal()} tells; before, a console exists only on a terminal.
     */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException olderJdk) {
            return true;
        }
    }
}
