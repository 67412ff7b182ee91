package io.gpumarket.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Traffic counters of a network namespace as its own processes see them ({@code /proc/PID/net/dev}): bytes received
 * and sent over every interface but loopback. Used for the process launcher's network namespaces and for containers;
 * a container's are read from its first process rather than taken from the
 * engine's stats, because Podman's Docker-compatible stats report the two directions swapped (they count at the host's
 * end of the container's link), and counters from inside mean the same on every engine.
 */
public final class NetDev {
    public record Counters(long rxBytes, long txBytes) {}

    private NetDev() {}

    /** The namespace of process {@code pid}; null when it cannot be read (the process is gone, no permission). */
    public static Counters ofProcess(long pid) {
        if (pid <= 0) return null;
        try {
            return parse(Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "dev")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The sum over the interfaces of a {@code /proc/net/dev} table (two header lines, then {@code name: rx_bytes
     * rx_packets … tx_bytes …}, the transmit bytes being the ninth number).
     */
    static Counters parse(List<String> lines) {
        long rx = 0;
        long tx = 0;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            String name = line.substring(0, colon).strip();
            if (name.equals("lo")) continue;
            String[] n = line.substring(colon + 1).strip().split("\\s+");
            if (n.length < 9) throw new IllegalArgumentException("not a /proc/net/dev line: " + line);
            rx = Math.addExact(rx, Long.parseLong(n[0]));
            tx = Math.addExact(tx, Long.parseLong(n[8]));
        }
        return new Counters(rx, tx);
    }
}
