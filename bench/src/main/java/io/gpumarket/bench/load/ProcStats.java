package io.gpumarket.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPU time and memory of other processes, read from Linux's /proc as {@code top} and {@code ps} do: the server under
 * load runs as its own process (and PostgreSQL as its own processes) precisely so these can be read apart from the
 * load generator's.
 */
public final class ProcStats {
    /** Clock ticks per second of /proc's CPU times ({@code getconf CLK_TCK}; 100 on every Linux this runs on). */
    public static final long TICKS_PER_SECOND = clockTicks();

    private ProcStats() {}

    /**
     * User + system CPU time of the process, in ticks; with {@code children}, also that of its children it has waited
     * for (PostgreSQL's postmaster reaps its backends). -1 when the process is gone.
     */
    public static long cpuTicks(long pid, boolean children) {
        String[] f = statFields(pid);
        if (f == null) return -1;
        // fields after the command: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
        long t = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        if (children) t += Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return t;
    }

    /** The parent's pid, or -1 when the process is gone. */
    static long parent(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    /** Resident memory now (VmRSS) and at its peak (VmHWM), in KiB; -1 when unknown. */
    public static long[] rssKb(long pid) {
        long rss = -1;
        long hwm = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("\\D", ""));
                if (line.startsWith("VmHWM:")) hwm = Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return new long[] {rss, hwm};
    }

    /** Ticks as a percentage of one core over {@code nanos}. */
    public static double percentOfCore(long ticks, long nanos) {
        return nanos <= 0 || ticks < 0 ? Double.NaN : 100.0 * ticks / TICKS_PER_SECOND / (nanos / 1e9);
    }

    /** The processes whose command line contains every one of {@code words} (NUL-separated argv, compared per word). */
    static List<Long> find(List<String> words) {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    List<String> argv = List.of(
                            new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).split("\0"));
                    if (argv.containsAll(words)) found.add(Long.parseLong(name));
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    /** The live children of {@code pid}. */
    static List<Long> children(long pid) {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && parent(Long.parseLong(name)) == pid)
                    found.add(Long.parseLong(name));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }

    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command (field 2) is in parentheses and may hold spaces: split after its closing one
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) return Long.parseLong(out);
        } catch (IOException | RuntimeException e) {
            // the usual value
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 100;
    }
}
