package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * cgroup v2, the unified hierarchy: one directory per instance holds all its limits ({@code memory.max} with
 * {@code memory.swap.max} 0, {@code pids.max}, {@code cpu.max}), and a process joins by writing its pid to its
 * {@code cgroup.procs}. The controllers have to be enabled in {@code cgroup.subtree_control} of every group above
 * it; those groups hold no processes themselves (v2's "no internal processes" rule), only the instances' groups.
 *
 * @param root        where the hierarchy is mounted (usually {@code /sys/fs/cgroup})
 * @param controllers the instance controllers its root offers
 */
public record CgroupV2(Path root, Set<String> controllers) implements Cgroups {

    /**
     * A cgroup2 mount whose root offers at least one of the controllers (a hybrid host's empty one does not count)
     * and lets this agent hand them to groups below it: it tries, enabling them in the root's
     * {@code cgroup.subtree_control}, which fails where the root holds processes itself (a container's own
     * namespace root) or is read-only.
     */
    static Optional<CgroupV2> detect(List<Mounts.Mount> mounts) {
        for (Mounts.Mount m : mounts) {
            if (!m.fsType().equals("cgroup2")) continue;
            Set<String> offered = offered(m.mountPoint());
            offered.retainAll(CONTROLLERS);
            if (offered.isEmpty()) continue;
            CgroupV2 v2 = new CgroupV2(m.mountPoint(), Set.copyOf(offered));
            try {
                v2.enableControllers(m.mountPoint());
                return Optional.of(v2);
            } catch (IOException e) {
                // not ours to divide: look further, then at v1
            }
        }
        return Optional.empty();
    }

    @Override
    public String description() {
        return "cgroup v2 ("
                + String.join(
                        ", ", CONTROLLERS.stream().filter(controllers::contains).toList()) + ")";
    }

    @Override
    public List<String> missing() {
        return CONTROLLERS.stream()
                .filter(c -> !controllers.contains(c))
                .map(c -> c + " limit: the cgroup v2 hierarchy at " + root + " does not offer the " + c + " controller")
                .toList();
    }

    @Override
    public void apply(String name, ResourceShare share, int hostCores) throws IOException {
        Path leaf = root.resolve(name);
        for (Path p = root;
                !p.equals(leaf);
                p = p.resolve(leaf.getName(p.getNameCount()).toString())) {
            Files.createDirectories(p);
            enableControllers(p);
        }
        Files.createDirectories(leaf);
        if (controllers.contains("memory")) {
            CgroupFiles.write(leaf.resolve("memory.max"), Long.toString(share.memoryBytes()));
            if (Files.exists(leaf.resolve("memory.swap.max"))) CgroupFiles.write(leaf.resolve("memory.swap.max"), "0");
        }
        if (controllers.contains("pids")) CgroupFiles.write(leaf.resolve("pids.max"), Integer.toString(share.pids()));
        if (controllers.contains("cpu")) {
            long quota = CgroupFiles.quotaUs(share, hostCores);
            CgroupFiles.write(
                    leaf.resolve("cpu.max"), (quota < 0 ? "max" : Long.toString(quota)) + " " + CgroupFiles.PERIOD_US);
        }
    }

    @Override
    public List<Path> procsFiles(String name) {
        return List.of(root.resolve(name).resolve("cgroup.procs"));
    }

    @Override
    public Strikes strikes(String name) {
        Path leaf = root.resolve(name);
        return new Strikes(
                Cgroups.keyed(leaf.resolve("memory.events"), "oom_kill"),
                Cgroups.keyed(leaf.resolve("pids.events"), "max"));
    }

    @Override
    public void unthrottle(String name) {
        Path max = root.resolve(name).resolve("cpu.max");
        if (!Files.exists(max)) return;
        try {
            Files.writeString(max, "max " + CgroupFiles.PERIOD_US);
        } catch (IOException e) {
            // stopping just takes longer
        }
    }

    @Override
    public void remove(String name) {
        Path leaf = root.resolve(name);
        if (Files.exists(leaf.resolve("cgroup.kill"))) {
            try {
                Files.writeString(leaf.resolve("cgroup.kill"), "1");
            } catch (IOException e) {
                // remove() kills what is left one by one
            }
        }
        CgroupFiles.remove(leaf);
        CgroupFiles.removeEmptyParents(leaf, root);
    }

    private void enableControllers(Path group) throws IOException {
        Set<String> enabled = words(group.resolve("cgroup.subtree_control"));
        StringBuilder add = new StringBuilder();
        for (String c : controllers)
            if (!enabled.contains(c))
                add.append(add.isEmpty() ? "" : " ").append('+').append(c);
        if (!add.isEmpty()) CgroupFiles.write(group.resolve("cgroup.subtree_control"), add.toString());
    }

    private static Set<String> offered(Path group) {
        return words(group.resolve("cgroup.controllers"));
    }

    private static Set<String> words(Path file) {
        try {
            return new TreeSet<>(Arrays.asList(Files.readString(file).trim().split("\\s+")));
        } catch (IOException e) {
            return new TreeSet<>();
        }
    }
}
