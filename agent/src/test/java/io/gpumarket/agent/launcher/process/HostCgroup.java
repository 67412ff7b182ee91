package io.gpumarket.agent.launcher.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's limits the way an operator would, from its {@code /proc/<pid>/cgroup} lines and the host's
 * cgroup files (v1 with a memory hierarchy at /sys/fs/cgroup/memory, else v2 at /sys/fs/cgroup).
 */
final class HostCgroup {
    private static final Path V1_MEMORY = Path.of("/sys/fs/cgroup/memory");
    private static final Path V1_PIDS = Path.of("/sys/fs/cgroup/pids");
    private static final Path V2 = Path.of("/sys/fs/cgroup");

    private HostCgroup() {}

    static boolean v1() {
        return Files.exists(V1_MEMORY.resolve("memory.limit_in_bytes"));
    }

    /** The memory controller's group in a {@code /proc/<pid>/cgroup} text ("/gpumarket/…/7"). */
    static String memoryGroup(String procCgroup) {
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) continue;
            if (v1() ? java.util.Arrays.asList(f[1].split(",")).contains("memory") : f[1].isEmpty())
                return f[2].strip();
        }
        throw new AssertionError("no memory cgroup in " + procCgroup);
    }

    static Path memoryDir(String group) {
        return (v1() ? V1_MEMORY : V2).resolve(group.substring(1));
    }

    static long memoryLimit(String procCgroup) throws IOException {
        Path dir = memoryDir(memoryGroup(procCgroup));
        return Long.parseLong(Files.readString(dir.resolve(v1() ? "memory.limit_in_bytes" : "memory.max"))
                .strip());
    }

    static int pidsLimit(String procCgroup) throws IOException {
        String group = memoryGroup(procCgroup); // the same name in every hierarchy
        Path dir = (v1() ? V1_PIDS : V2).resolve(group.substring(1));
        return Integer.parseInt(Files.readString(dir.resolve("pids.max")).strip());
    }
}
