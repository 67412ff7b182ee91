package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The file operations both cgroup versions share: writing a setting, and emptying and removing a group. */
final class CgroupFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupFiles.class);
    /** CFS period: the quota is CPU time per 100 ms, as Docker sets it. */
    static final long PERIOD_US = 100_000;

    private static final long REMOVE_WAIT_MS = 10_000;

    private CgroupFiles() {}

    /** Writes one setting, naming the file and the value when the kernel refuses it. */
    static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new IOException("could not write " + value + " to " + file + ": " + e.getMessage(), e);
        }
    }

    /** The CPU quota in microseconds per {@link #PERIOD_US}, or -1 when the share is the whole host (no limit). */
    static long quotaUs(ResourceShare share, int hostCores) {
        if (share.nanoCpus() >= hostCores * 1_000_000_000L) return -1;
        return Math.max(1_000, share.nanoCpus() * PERIOD_US / 1_000_000_000L);
    }

    /**
     * Kills every process left in the group (the instance's processes by construction: nothing else is ever put
     * there), waits for the group to empty, and removes its directory. A group that will not empty is left
     * behind with a warning: it holds no limit anyone else could hit.
     */
    static void remove(Path group) {
        if (!Files.isDirectory(group)) return;
        long deadline = System.currentTimeMillis() + REMOVE_WAIT_MS;
        while (true) {
            List<Long> pids = pids(group);
            for (long pid : pids) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            try {
                Files.deleteIfExists(group);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    LOG.warn(
                            "cgroup {} could not be removed ({} processes left): {}",
                            group,
                            pids.size(),
                            e.getMessage());
                    return;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Removes empty parent groups up to (not including) {@code root}; a parent still holding another group stays. */
    static void removeEmptyParents(Path group, Path root) {
        for (Path p = group.getParent(); p != null && p.startsWith(root) && !p.equals(root); p = p.getParent()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                return; // another instance's group is still below it
            }
        }
    }

    static List<Long> pids(Path group) {
        try {
            return Files.readAllLines(group.resolve("cgroup.procs")).stream()
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
