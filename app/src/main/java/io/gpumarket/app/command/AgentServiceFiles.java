package io.gpumarket.app.command;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What {@code gpumarket agent install} writes, as text: the agent's config file (its flags, one a line, read back by
 * picocli as {@code gpumarket agent @FILE}) and its systemd unit, made from the unit the distribution ships
 * ({@code systemd/gpumarket-agent.service}, the one source of both) with the launcher and config paths of this host.
 */
final class AgentServiceFiles {
    static final String UNIT_NAME = "gpumarket-agent.service";
    static final String SHIPPED_LAUNCHER = "/opt/gpumarket/bin/gpumarket";
    static final String SHIPPED_CONFIG = "/etc/gpumarket/agent.conf";

    private AgentServiceFiles() {}

    /** The config file: a header, then each flag on its own line, as {@code --name=value} quoted where needed. */
    static String config(Map<String, List<String>> flags) {
        StringBuilder out = new StringBuilder()
                .append("# gpumarket agent flags, one a line (written by `gpumarket agent install`; `gpumarket agent")
                .append(" --help` lists them).\n# Read as `gpumarket agent @THIS_FILE`; it holds the machine token:")
                .append(" keep it 0600.\n");
        flags.forEach((name, values) -> {
            if (values.isEmpty()) out.append(name).append('\n');
            for (String v : values) out.append(quoted(name + "=" + v)).append('\n');
        });
        return out.toString();
    }

    /**
     * One argument as picocli's @-file reader takes it back unchanged: bare when it holds nothing the reader splits or
     * interprets (white space, quotes, {@code #} comments, backslashes), else in double quotes with {@code \} and
     * {@code "} escaped.
     */
    static String quoted(String arg) {
        if (!arg.isEmpty() && arg.chars().noneMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '#' || c == '\\'))
            return arg;
        return '"' + arg.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** The shipped unit with {@code launcher} and {@code config} in place of the distribution's default paths. */
    static String unit(String launcher, String config) {
        String shipped = shippedUnit(UNIT_NAME);
        String exec = "ExecStart=" + SHIPPED_LAUNCHER + " agent @" + SHIPPED_CONFIG;
        if (!shipped.contains(exec)) throw new IllegalStateException("the shipped unit has no line " + exec);
        return shipped.replace(exec, "ExecStart=" + launcher + " agent @" + config);
    }

    /** A unit the jar carries under {@code systemd/} (the same files the distribution puts in lib/systemd/). */
    static String shippedUnit(String name) {
        try (InputStream in = AgentServiceFiles.class.getResourceAsStream("/systemd/" + name)) {
            if (in == null) throw new IllegalStateException("the jar carries no systemd/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
