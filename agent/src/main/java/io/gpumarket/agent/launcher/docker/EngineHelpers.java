package io.gpumarket.agent.launcher.docker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's per-container helper processes on this host, as {@code /proc} shows them, and the signals that end
 * them. Docker keeps exec sessions inside dockerd (nothing to find here); Podman runs one {@code conmon} per exec
 * session, and after the session's process exits that conmon forks a child that sleeps
 * {@code exit_command_delay} (containers.conf, 300 s by default) before it runs Podman's own clean-up
 * ({@code podman container cleanup --rm --exec SESSION CONTAINER}). The delay exists so that an API client can
 * still inspect the exit code; a client that has inspected it has no use for the wait. SIGTERM interrupts the
 * sleep (conmon catches it) and the child runs the clean-up at once, which removes the session from Podman's
 * records and its files, and both conmons exit.
 *
 * <p>So each exec the launcher opens is released by {@link #finishExec} once its exit code is read, and a removed
 * container's leftovers (sessions of an earlier agent run, or still ending when it was removed) by
 * {@link #reapContainer}. Both only signal processes whose command line names the session or container by its
 * full 64-hex id, so nothing else on the host is touched.
 */
final class EngineHelpers {
    private static final Logger LOG = LoggerFactory.getLogger(EngineHelpers.class);

    /** One conmon: its pid, its parent's, and the ids its command line gives ({@code -c} container, {@code -u} session). */
    record Helper(long pid, long ppid, String container, String session) {}

    private EngineHelpers() {}

    /** Every conmon on this host that matches. */
    static List<Helper> find(Predicate<Helper> which) {
        List<Helper> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) return;
                parse(Long.parseLong(name)).filter(which).ifPresent(found::add);
            });
        } catch (IOException e) {
            // no /proc: not a Linux host, nothing of the engine's can be seen
        }
        return found;
    }

    /**
     * Ends Podman's wait after an exec session whose exit code has been read, and waits (up to {@code atMost})
     * until no conmon of that session is left. True when none is left; on Docker there never is one.
     */
    static boolean finishExec(String session, Duration atMost) {
        return reap(h -> h.session().equals(session), false, atMost);
    }

    /**
     * After the container is removed: every conmon still naming it (exec sessions that were running, or waiting
     * out the delay) is told to finish, and killed if it has not gone within {@code atMost}. True when none is left.
     */
    static boolean reapContainer(String container, Duration atMost) {
        return reap(h -> h.container().equals(container), true, atMost);
    }

    private static boolean reap(Predicate<Helper> which, boolean containerGone, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        long pause = 20;
        while (true) {
            List<Helper> left = find(which);
            if (left.isEmpty()) return true;
            for (Helper h : left) {
                // The sleeping child is the one whose parent is a conmon of the same session; its parent waits for
                // it. A conmon still watching its process is left alone while the container lives (SIGTERM would
                // be passed on to the renter's process); once the container is gone, there is nothing to pass it to.
                boolean sleeper = left.stream()
                        .anyMatch(p -> p.pid() == h.ppid() && p.session().equals(h.session()));
                if (sleeper || containerGone) ProcessHandle.of(h.pid()).ifPresent(ProcessHandle::destroy);
            }
            if (System.nanoTime() > deadline) {
                if (containerGone) {
                    left.forEach(h -> ProcessHandle.of(h.pid()).ifPresent(ProcessHandle::destroyForcibly));
                    LOG.warn(
                            "killed {} engine helper process(es) of removed container {} that did not end: {}",
                            left.size(),
                            left.getFirst().container(),
                            left.stream().map(Helper::pid).toList());
                } else {
                    LOG.warn(
                            "exec session {}: its engine helper process(es) {} did not end within {} s",
                            left.getFirst().session(),
                            left.stream().map(Helper::pid).toList(),
                            atMost.toSeconds());
                }
                return false;
            }
            try {
                TimeUnit.MILLISECONDS.sleep(pause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            pause = Math.min(250, pause * 2);
        }
    }

    /** A conmon's ids from its command line, or empty for any other process (or one that is gone). */
    static Optional<Helper> parse(long pid) {
        List<String> argv = argv(pid);
        if (argv.isEmpty()) return Optional.empty();
        // any process may name itself anything: "/" has no file name, and a path a JVM cannot hold is not conmon's
        Path program;
        try {
            program = Path.of(argv.getFirst()).getFileName();
        } catch (java.nio.file.InvalidPathException notAPath) {
            return Optional.empty();
        }
        if (program == null || !program.toString().equals("conmon")) return Optional.empty();
        String container = value(argv, "-c", "--cid");
        String session = value(argv, "-u", "--cuuid");
        if (container == null || session == null) return Optional.empty();
        OptionalLong ppid = parent(pid);
        return ppid.isPresent() ? Optional.of(new Helper(pid, ppid.getAsLong(), container, session)) : Optional.empty();
    }

    private static String value(List<String> argv, String shortName, String longName) {
        for (int i = 1; i < argv.size(); i++) {
            String a = argv.get(i);
            if ((a.equals(shortName) || a.equals(longName)) && i + 1 < argv.size()) return argv.get(i + 1);
            if (a.startsWith(longName + "=")) return a.substring(longName.length() + 1);
        }
        return null;
    }

    private static List<String> argv(long pid) {
        try {
            String raw = new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return raw.isEmpty() ? List.of() : List.of(raw.split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Field 4 of /proc/PID/stat; empty for a process that is gone or a zombie (it holds nothing any more). */
    static OptionalLong parent(long pid) {
        String[] f = stat(pid);
        if (f == null || f[0].equals("Z") || f[0].equals("X")) return OptionalLong.empty();
        return OptionalLong.of(Long.parseLong(f[1]));
    }

    /** Field 6 of /proc/PID/stat: the session a process belongs to (what a terminal's hangup reaches). */
    static OptionalLong session(long pid) {
        String[] f = stat(pid);
        return f == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(f[3]));
    }

    /** The fields after the command name (index 0 is field 3, the state); the name may hold spaces and ')'. */
    private static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int close = s.lastIndexOf(')');
            if (close < 0 || close + 2 > s.length()) return null;
            String[] f = s.substring(close + 2).trim().split(" ");
            return f.length > 4 ? f : null;
        } catch (IOException e) {
            return null;
        }
    }
}
