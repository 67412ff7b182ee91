package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.HostTools;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.LaunchException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a session command enters a running instance: {@code nsenter} into its init's mount, UTS, IPC and PID
 * namespaces (and user and network namespaces, where it has its own) and root directory, {@code setpriv} down to the instance's capabilities, then the instance's
 * {@code exec.sh} (its environment plus the session's, cwd /root). With a PTY the command runs under util-linux
 * {@code script}, which opens a pseudo-terminal from the instance's own {@code /dev/pts}; the host process that
 * comes back has pipes, and the terminal lives inside.
 */
final class SessionCommand {
    private static final Logger LOG = LoggerFactory.getLogger(SessionCommand.class);

    private SessionCommand() {}

    static List<String> argv(ProcessRecord run, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException {
        List<String> argv = new ArrayList<>(List.of(
                HostTools.require("nsenter", "util-linux"),
                "--target",
                Long.toString(run.initPid()),
                "--mount",
                "--uts",
                "--ipc",
                "--pid"));
        // nsenter enters the user namespace last (as root it may enter the others first) and becomes uid/gid 0
        // there, which is the instance's own unprivileged host uid.
        if (run.userNamespace()) argv.add("--user");
        if (run.ownNetwork()) argv.add("--net");
        argv.addAll(List.of("--root", "--wd", "--"));
        argv.addAll(Sandbox.dropPrivileges(HostTools.require("setpriv", "util-linux"), run.userNamespace()));
        argv.addAll(List.of("/bin/bash", InstanceScripts.EXEC));
        extraEnv.forEach((k, v) -> {
            if (InstanceEnvironment.validName(k) && v != null) argv.add(k + "=" + v.replace("\0", ""));
        });
        argv.add("--");
        if (pty) {
            // A pipe has no size for script to copy, so stty gives the terminal the client's first.
            String size = terminalSize(extraEnv)
                    .map(s -> "stty " + s + " 2>/dev/null; ")
                    .orElse("");
            argv.addAll(List.of(
                    HostTools.require("script", "bsdutils"),
                    "-qfec",
                    size + "exec " + InstanceScripts.quoteAll(command),
                    "/dev/null"));
        } else {
            argv.addAll(command);
        }
        return argv;
    }

    /**
     * Resizes a PTY session's terminal from the host: {@code stty -F /proc/PID/fd/0} on a process of the session
     * whose stdin is the pseudo-terminal reaches it whatever mount namespace it lives in; the kernel then sends
     * SIGWINCH to the terminal's foreground process group.
     */
    static void resize(Process session, int columns, int rows) {
        Optional<String> stty = HostTools.find("stty").map(Path::toString);
        if (stty.isEmpty() || columns <= 0 || rows <= 0) return;
        session.descendants().filter(h -> onPseudoTerminal(h.pid())).findFirst().ifPresent(h -> {
            ProcessBuilder pb = new ProcessBuilder(
                            stty.get(),
                            "-F",
                            "/proc/" + h.pid() + "/fd/0",
                            "cols",
                            Integer.toString(columns),
                            "rows",
                            Integer.toString(rows))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            pb.environment().clear();
            try {
                pb.start().waitFor(2, TimeUnit.SECONDS);
            } catch (IOException e) {
                LOG.debug("resizing the terminal of pid {} failed: {}", h.pid(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private static Optional<String> terminalSize(Map<String, String> env) {
        String cols = env.get("COLUMNS");
        String rows = env.get("LINES");
        if (cols == null || rows == null || !cols.matches("\\d{1,4}") || !rows.matches("\\d{1,4}"))
            return Optional.empty();
        return Optional.of("cols " + cols + " rows " + rows);
    }

    /** True when the process's stdin is a Unix 98 pseudo-terminal slave (device majors 136–143). */
    private static boolean onPseudoTerminal(long pid) {
        try {
            long rdev = ((Number) Files.getAttribute(Path.of("/proc", Long.toString(pid), "fd", "0"), "unix:rdev"))
                    .longValue();
            long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
            return major >= 136 && major <= 143;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
