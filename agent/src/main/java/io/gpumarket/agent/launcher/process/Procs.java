package io.gpumarket.agent.launcher.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * What the launcher reads from {@code /proc}. A pid alone is not an identity (pids are reused), so a process is
 * named by its pid and its start time (field 22 of {@code /proc/PID/stat}, clock ticks since boot), which no
 * other process can share. Zombies count as gone: on hosts whose pid 1 reaps slowly, an orphaned wrapper can
 * linger as one after it exited.
 */
final class Procs {
    /** USER_HZ: 100 on every Linux the agent runs on (the kernel's ABI, not CONFIG_HZ). */
    static final double TICKS_PER_SECOND = 100.0;

    private Procs() {}

    /** The start time of a live (not zombie) process, empty when there is none with that pid. */
    static OptionalLong startTime(long pid) {
        String[] f = statFields(pid);
        if (f == null || "Z".equals(f[0]) || "X".equals(f[0])) return OptionalLong.empty();
        return OptionalLong.of(Long.parseLong(f[19]));
    }

    /** True when the process with this pid is the one that started at {@code startTime} and has not exited. */
    static boolean alive(long pid, long startTime) {
        OptionalLong now = startTime(pid);
        return now.isPresent() && now.getAsLong() == startTime;
    }

    /** The PID namespace of a process, e.g. {@code pid:[4026532297]}. */
    static Optional<String> pidNamespace(long pid) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "pid"))
                    .toString());
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    /** Host pids of every live process in the given PID namespace (a walk over /proc: a few hundred entries). */
    static List<Long> inNamespace(String namespace) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.forEach(p -> {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) return;
                long pid = Long.parseLong(name);
                if (pidNamespace(pid).filter(namespace::equals).isPresent()
                        && startTime(pid).isPresent()) pids.add(pid);
            });
        } catch (IOException e) {
            // /proc is always listable; a failure here means no processes we can report on
        }
        return pids;
    }

    /**
     * CPU seconds of the given processes including their reaped children (utime + stime + cutime + cstime): for
     * the processes of one PID namespace this is the namespace's total, since every exited process's time was
     * added to the one that reaped it.
     */
    static double cpuSeconds(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            String[] f = statFields(pid);
            if (f == null) continue;
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /** The command line of a process, arguments joined by spaces; empty when it is gone. */
    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")))
                    .replace('\0', ' ')
                    .trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * The fields of /proc/PID/stat after the command name, so index 0 is field 3 (state). The command name is
     * skipped by its last ')' because it may itself contain spaces and parentheses.
     */
    private static String[] statFields(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return null;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0) return null;
        String[] f = stat.substring(close + 2).trim().split(" ");
        return f.length > 19 ? f : null;
    }
}
