package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cgroup v1: each controller is a hierarchy of its own ({@code /sys/fs/cgroup/memory}, {@code …/pids},
 * {@code …/cpu} or {@code cpu,cpuacct}), so an instance's group is one directory per controller and a process
 * joins it by writing its pid to each one's {@code cgroup.procs}. Memory: {@code memory.limit_in_bytes}, and
 * {@code memory.memsw.limit_in_bytes} at the same value where swap is accounted (no swap beyond the share);
 * processes: {@code pids.max}; CPU: {@code cpu.cfs_quota_us} per {@code cpu.cfs_period_us}.
 */
public record CgroupV1(Map<String, Path> roots) implements Cgroups {

    /**
     * The v1 mounts of the controllers where this agent can make groups (it tries, making {@code gpumarket/}
     * below each), by controller name; empty when none of them is usable.
     */
    static Optional<CgroupV1> detect(List<Mounts.Mount> mounts) {
        Map<String, Path> roots = new LinkedHashMap<>();
        for (String c : CONTROLLERS) {
            mounts.stream()
                    .filter(m -> m.fsType().equals("cgroup") && m.superOptions().contains(c))
                    .findFirst()
                    .filter(m -> canMakeGroups(m.mountPoint()))
                    .ifPresent(m -> roots.put(c, m.mountPoint()));
        }
        return roots.isEmpty() ? Optional.empty() : Optional.of(new CgroupV1(Map.copyOf(roots)));
    }

    @Override
    public String description() {
        return "cgroup v1 ("
                + String.join(
                        ", ", CONTROLLERS.stream().filter(roots::containsKey).toList()) + ")";
    }

    @Override
    public List<String> missing() {
        return CONTROLLERS.stream()
                .filter(c -> !roots.containsKey(c))
                .map(c -> c + " limit: the cgroup v1 " + c + " controller is not mounted")
                .toList();
    }

    @Override
    public void apply(String name, ResourceShare share, int hostCores) throws IOException {
        Path memory = group("memory", name);
        if (memory != null) {
            Files.createDirectories(memory);
            Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
            // memsw must stay >= the memory limit: lift it, set memory, then bring it down to the same value.
            if (Files.exists(memsw)) CgroupFiles.write(memsw, "-1");
            CgroupFiles.write(memory.resolve("memory.limit_in_bytes"), Long.toString(share.memoryBytes()));
            if (Files.exists(memsw)) CgroupFiles.write(memsw, Long.toString(share.memoryBytes()));
            else
                setIfPossible(
                        memory.resolve("memory.swappiness"), "0"); // no swap accounting: at least don't prefer swap
        }
        Path pids = group("pids", name);
        if (pids != null) {
            Files.createDirectories(pids);
            CgroupFiles.write(pids.resolve("pids.max"), Integer.toString(share.pids()));
        }
        Path cpu = group("cpu", name);
        if (cpu != null) {
            Files.createDirectories(cpu);
            CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CgroupFiles.PERIOD_US));
            CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(CgroupFiles.quotaUs(share, hostCores)));
        }
    }

    @Override
    public List<Path> procsFiles(String name) {
        List<Path> files = new ArrayList<>();
        // One directory may serve two controllers (cpu,cpuacct mounted together): join each directory once.
        for (Path dir :
                roots.keySet().stream().map(c -> group(c, name)).distinct().toList()) {
            files.add(dir.resolve("cgroup.procs"));
        }
        return files;
    }

    @Override
    public Strikes strikes(String name) {
        Path memory = group("memory", name);
        Path pids = group("pids", name);
        return new Strikes(
                memory == null ? 0 : Cgroups.keyed(memory.resolve("memory.oom_control"), "oom_kill"),
                pids == null ? 0 : Cgroups.keyed(pids.resolve("pids.events"), "max"));
    }

    @Override
    public void unthrottle(String name) {
        Path cpu = group("cpu", name);
        if (cpu != null && Files.exists(cpu.resolve("cpu.cfs_quota_us")))
            setIfPossible(cpu.resolve("cpu.cfs_quota_us"), "-1");
    }

    @Override
    public void remove(String name) {
        for (String c : CONTROLLERS) {
            Path g = group(c, name);
            if (g == null) continue;
            CgroupFiles.remove(g);
            CgroupFiles.removeEmptyParents(g, roots.get(c));
        }
    }

    private Path group(String controller, String name) {
        Path root = roots.get(controller);
        return root == null ? null : root.resolve(name);
    }

    private static boolean canMakeGroups(Path root) {
        try {
            Files.createDirectories(root.resolve("gpumarket"));
            return true;
        } catch (IOException e) {
            return false; // read-only (an unprivileged container) or not ours to write
        }
    }

    private static void setIfPossible(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            // an optional nicety; the memory limit itself is set
        }
    }
}
