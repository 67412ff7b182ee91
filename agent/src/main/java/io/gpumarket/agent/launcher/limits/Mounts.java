package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The agent's mount table ({@code /proc/self/mountinfo}): where cgroup hierarchies are, whether an image is mounted. */
final class Mounts {
    private Mounts() {}

    /**
     * One mount.
     *
     * @param mountPoint   where it is mounted (octal escapes such as {@code \040} decoded)
     * @param fsType       e.g. cgroup, cgroup2, ext4
     * @param source       e.g. /dev/loop3
     * @param superOptions the file system's own options; for cgroup v1 they name the controllers ("rw,memory")
     */
    record Mount(Path mountPoint, String fsType, String source, Set<String> superOptions) {}

    static List<Mount> read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/self/mountinfo")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Lines of mountinfo: {@code id parent maj:min root mountpoint options [optional…] - fstype source superoptions}. */
    static List<Mount> parse(List<String> lines) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(" ");
            int dash = Arrays.asList(f).indexOf("-");
            if (f.length < 5 || dash < 0 || dash + 3 >= f.length) continue;
            mounts.add(new Mount(
                    Path.of(unescape(f[4])),
                    f[dash + 1],
                    unescape(f[dash + 2]),
                    new TreeSet<>(Arrays.asList(f[dash + 3].split(",")))));
        }
        return mounts;
    }

    /** True when something is mounted exactly at {@code path} in this mount table. */
    static boolean isMountPoint(List<Mount> table, Path path) {
        Path p = path.toAbsolutePath().normalize();
        return table.stream().anyMatch(m -> m.mountPoint().equals(p));
    }

    private static String unescape(String s) {
        if (!s.contains("\\")) return s;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
