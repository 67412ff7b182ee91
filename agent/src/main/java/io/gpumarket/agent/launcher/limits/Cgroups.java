package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The host's control groups, as far as instance limits need them: make a group with a {@link ResourceShare}'s
 * memory, pids and CPU limits, say which files a process writes its pid to in order to join it, read how often a
 * limit struck, and remove the group. {@link CgroupV2} where the host has the unified hierarchy with those
 * controllers; {@link CgroupV1} where they are mounted one by one (these machines); {@link #none} where neither.
 *
 * <p>Groups are named by a relative path ({@code gpumarket/<agent>/<instance>}) under the hierarchy's root, not
 * under the agent's own group: an instance outlives its agent, and a restarted agent (perhaps started by another
 * service manager) finds the group again by its name alone.
 */
public sealed interface Cgroups permits CgroupV1, CgroupV2, Cgroups.None {
    /** The controllers instance limits use. */
    List<String> CONTROLLERS = List.of("memory", "pids", "cpu");

    /** "cgroup v1 (memory, pids, cpu)", "cgroup v2 (…)" or "no cgroups". */
    String description();

    /** The limits this host cannot apply, each with why ("memory: …"); empty when all of them can be. */
    List<String> missing();

    /** Makes the group (or keeps it) and writes the share's limits into it. */
    void apply(String name, ResourceShare share, int hostCores) throws IOException;

    /** The {@code cgroup.procs} files a process writes its own pid to, to join the group; empty without cgroups. */
    List<Path> procsFiles(String name);

    /** How often the group's limits struck so far. */
    Strikes strikes(String name);

    /**
     * Lifts the group's CPU quota, before its processes are stopped: a thousand processes of a flood, each exiting
     * on a small quota, would otherwise take minutes to go. The next start writes the limits again.
     */
    void unthrottle(String name);

    /** Kills whatever still runs in the group, then removes it (and its parents, once empty). */
    void remove(String name);

    /**
     * @param oomKills     processes the kernel killed for going over the memory limit
     * @param forksRefused forks and clones refused at the pids limit
     */
    record Strikes(long oomKills, long forksRefused) {
        static final Strikes NONE = new Strikes(0, 0);
    }

    /** The host's cgroups: v2 when its unified hierarchy has the controllers, v1 when they are mounted, else none. */
    static Cgroups detect() {
        List<Mounts.Mount> mounts = Mounts.read();
        Optional<CgroupV2> v2 = CgroupV2.detect(mounts);
        if (v2.isPresent()) return v2.get();
        Optional<CgroupV1> v1 = CgroupV1.detect(mounts);
        if (v1.isPresent()) return v1.get();
        return none(
                "neither a cgroup v2 hierarchy with the memory, pids and cpu controllers nor cgroup v1 mounts of them");
    }

    static Cgroups none(String why) {
        return new None(why);
    }

    /** A host without usable cgroups: nothing is limited, and {@link #missing} says so. */
    record None(String why) implements Cgroups {
        @Override
        public String description() {
            return "no cgroups";
        }

        @Override
        public List<String> missing() {
            List<String> all = new ArrayList<>();
            for (String c : CONTROLLERS) all.add(c + " limit: " + why);
            return all;
        }

        @Override
        public void apply(String name, ResourceShare share, int hostCores) {}

        @Override
        public List<Path> procsFiles(String name) {
            return List.of();
        }

        @Override
        public Strikes strikes(String name) {
            return Strikes.NONE;
        }

        @Override
        public void unthrottle(String name) {}

        @Override
        public void remove(String name) {}
    }

    /** The number after {@code key} on its own line of a flat-keyed cgroup file ("oom_kill 3"); 0 when absent. */
    static long keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2 && kv[0].equals(key)) return Long.parseLong(kv[1]);
            }
        } catch (IOException | RuntimeException e) {
            // the group is gone or the kernel has no such counter: nothing struck that we can tell
        }
        return 0;
    }
}
