package io.gpumarket.app.command;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code gpumarket agent install --server URL --token TOKEN [agent flags]}: makes this host's agent a systemd
 * service. Checks the flags as the agent would ({@link AgentOptions#config}), writes the ones given to the config file
 * (0600: the token) and the unit beside the system's own, then runs {@code systemctl daemon-reload} and
 * {@code systemctl enable --now} where systemd runs; elsewhere (a container, {@code --prefix}, {@code --no-start}) it
 * prints those commands instead. docs/hosting.md leads with it.
 */
@Command(
        name = "install",
        mixinStandardHelpOptions = true,
        description = {
            "Install this host's agent as the systemd service " + AgentServiceFiles.UNIT_NAME + ":",
            "writes the agent's flags to its config file (0600) and the unit, then enables and starts it.",
            "Takes every `gpumarket agent` flag (--server and --token required)."
        })
public final class AgentInstallCommand implements Callable<Integer> {
    @Mixin
    AgentOptions agent = new AgentOptions();

    @Option(
            names = "--prefix",
            defaultValue = "/",
            description = "the root the files are written under (a package's staging directory); with one other than /,"
                    + " nothing is started (default ${DEFAULT-VALUE})")
    Path prefix;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "the agent's config file, as the host sees it (default " + AgentServiceFiles.SHIPPED_CONFIG + ")")
    String config;

    @Option(
            names = "--unit-dir",
            paramLabel = "DIR",
            description = "where the unit goes, as the host sees it (default /etc/systemd/system)")
    String unitDir;

    @Option(
            names = "--launcher",
            paramLabel = "PATH",
            defaultValue = "${env:GPUMARKET_LAUNCHER}",
            description =
                    "the gpumarket launcher the unit runs (default: the distribution's bin/gpumarket running this)")
    String launcher;

    @Option(names = "--no-start", description = "write the files only; print the systemctl commands to run")
    boolean noStart;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        agent.config(Path.of("/var/lib/gpumarket/agent")); // every flag checked before anything is written
        if (launcher == null || launcher.isBlank()) {
            throw new IllegalArgumentException("--launcher is required where this does not run from the distribution's"
                    + " bin/gpumarket (the unit's ExecStart runs it)");
        }
        String configPath = hostPath("--config", config != null ? config : AgentServiceFiles.SHIPPED_CONFIG);
        String unitPath = hostPath("--unit-dir", unitDir != null ? unitDir : "/etc/systemd/system") + "/"
                + AgentServiceFiles.UNIT_NAME;
        hostPath("--launcher", launcher);
        PrintWriter out = spec.commandLine().getOut();

        Path configFile = staged(configPath);
        write(configFile, AgentServiceFiles.config(flagsGiven()), "rw-------");
        out.println("wrote " + configFile + " (0600: it holds the machine token)");
        Path unitFile = staged(unitPath);
        write(unitFile, AgentServiceFiles.unit(launcher, configPath), "rw-r--r--");
        out.println("wrote " + unitFile);

        List<List<String>> commands = List.of(
                List.of("systemctl", "daemon-reload"),
                List.of("systemctl", "enable", "--now", AgentServiceFiles.UNIT_NAME));
        boolean live = prefix.toAbsolutePath().normalize().equals(Path.of("/"));
        if (noStart || !live || !Files.isDirectory(Path.of("/run/systemd/system"))) {
            out.println((live && !noStart ? "systemd does not run here; on the host, run:" : "to start it, run:"));
            for (List<String> c : commands) out.println("  " + String.join(" ", c));
            return 0;
        }
        for (List<String> c : commands) {
            int rc = run(c, out);
            if (rc != 0) {
                spec.commandLine().getErr().println("error: " + String.join(" ", c) + " exited with " + rc);
                return 1;
            }
        }
        out.println("started " + AgentServiceFiles.UNIT_NAME + "; follow it with: journalctl -u "
                + AgentServiceFiles.UNIT_NAME + " -f");
        return 0;
    }

    /** The agent flags given on this command line, in the agent's order, with their values as typed. */
    private Map<String, List<String>> flagsGiven() {
        ParseResult parsed = spec.commandLine().getParseResult();
        Map<String, List<String>> flags = new LinkedHashMap<>();
        for (OptionSpec o : spec.mixins().get("agent").options()) {
            if (!parsed.hasMatchedOption(o.longestName())) continue;
            OptionSpec matched = parsed.matchedOption(o.longestName());
            flags.put(o.longestName(), o.arity().max() == 0 ? List.of() : matched.originalStringValues());
        }
        return flags;
    }

    /** A path as the host will see it: absolute, and one the unit file can hold unquoted. */
    private static String hostPath(String flag, String path) {
        if (!path.startsWith("/") || path.chars().anyMatch(c -> c <= ' ' || c == '"' || c == '\'' || c == '\\'))
            throw new IllegalArgumentException(
                    flag + " must be an absolute path without spaces or quotes, got " + path);
        return Path.of(path).normalize().toString();
    }

    /** Where a host path is written: under --prefix. */
    private Path staged(String hostPath) {
        return prefix.resolve(hostPath.substring(1)).toAbsolutePath().normalize();
    }

    /** Writes through a temporary file made with its final permissions, then moved over: never readable by others. */
    private static void write(Path file, String text, String permissions) throws IOException {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(
                    file.getParent(),
                    "." + file.getFileName(),
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
            try {
                Files.writeString(tmp, text, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(
                    "cannot write " + file + ": permission denied (run as root, or pass --prefix DIR)", e);
        } catch (FileSystemException e) {
            throw new IllegalArgumentException("cannot write " + file + ": " + e.getReason(), e);
        }
    }

    private static int run(List<String> command, PrintWriter out) throws IOException, InterruptedException {
        out.println("running: " + String.join(" ", command));
        out.flush();
        Process p = new ProcessBuilder(new ArrayList<>(command)).inheritIO().start();
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
