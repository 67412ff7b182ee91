package io.gpumarket.bench.load;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CPU time of a PostgreSQL server: its postmaster (found by the {@code -p PORT} on its command line, as the
 * throwaway cluster starts it), the backends and workers alive now, and those that ended (reaped by the postmaster,
 * so counted in its children's time). A server started otherwise is not found: then the figure is absent.
 */
public final class PostgresProcesses {
    private static final Pattern PORT = Pattern.compile("jdbc:postgresql://[^:/]+:(\\d+)/");
    private final long postmaster;

    private PostgresProcesses(long postmaster) {
        this.postmaster = postmaster;
    }

    /** The server behind a JDBC URL, or null when no such process is found on this machine. */
    static PostgresProcesses of(String jdbcUrl) {
        Matcher m = PORT.matcher(jdbcUrl);
        if (!m.find()) return null;
        List<Long> found = ProcStats.find(List.of("-p", m.group(1)));
        for (long pid : found) {
            // the postmaster is the one whose parent is not itself a postgres of the same port
            if (!found.contains(ProcStats.parent(pid))) return new PostgresProcesses(pid);
        }
        return null;
    }

    /** Ticks used so far by the postmaster, its reaped children and its live children. */
    public long cpuTicks() {
        long t = ProcStats.cpuTicks(postmaster, true);
        if (t < 0) return -1;
        for (long child : ProcStats.children(postmaster)) {
            long c = ProcStats.cpuTicks(child, false);
            if (c > 0) t += c;
        }
        return t;
    }
}
