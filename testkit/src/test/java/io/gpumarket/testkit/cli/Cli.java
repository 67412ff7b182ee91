package io.gpumarket.testkit.cli;

import io.gpumarket.cli.Main;
import io.gpumarket.cli.client.CliEnv;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code gpumarket} command run in process ({@link Main#run(CliEnv, String...)}) with its own environment
 * variables and captured stdout/stderr, as a user's shell would run it: {@code GPUMARKET_URL},
 * {@code GPUMARKET_API_KEY} and a private {@code XDG_CONFIG_HOME}. Child processes (ssh, rsync) write into the
 * captured streams.
 */
final class Cli {
    private final Map<String, String> vars;
    private final boolean terminal;

    private Cli(Map<String, String> vars, boolean terminal) {
        this.vars = vars;
        this.terminal = terminal;
    }

    /** @param url or null; @param key or null */
    static Cli of(String url, String key, Path configHome) {
        Map<String, String> vars = new HashMap<>();
        vars.put("PATH", System.getenv("PATH"));
        vars.put("HOME", configHome.resolve("home").toString());
        vars.put("XDG_CONFIG_HOME", configHome.resolve("config").toString());
        if (url != null) vars.put("GPUMARKET_URL", url);
        if (key != null) vars.put("GPUMARKET_API_KEY", key);
        return new Cli(vars, false);
    }

    Cli with(String name, String value) {
        Map<String, String> v = new HashMap<>(vars);
        if (value == null) v.remove(name);
        else v.put(name, value);
        return new Cli(v, terminal);
    }

    /** As if stdout were a terminal (progress shown). */
    Cli onTerminal() {
        return new Cli(vars, true);
    }

    Path configDir() {
        return Path.of(vars.get("XDG_CONFIG_HOME"), "gpumarket");
    }

    Result run(String... args) {
        return input("", args);
    }

    /** With {@code stdin} as the typed input (confirmations). */
    Result input(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        CliEnv env = CliEnv.captured(vars, o, e)
                .withTerminal(terminal)
                .withInput(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int code = Main.run(env, args);
        o.flush();
        e.flush();
        return new Result(
                code,
                out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8),
                String.join(" ", args));
    }

    record Result(int code, String out, String err, String command) {
        /** For assertion messages: what ran and what it printed. */
        String describe() {
            return "gpumarket " + command + " → exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
