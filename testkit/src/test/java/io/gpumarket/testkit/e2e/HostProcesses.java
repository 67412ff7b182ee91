package io.gpumarket.testkit.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What runs on this host, read from {@code /proc} by the tests themselves, whatever the agent thinks it did. */
final class HostProcesses {
    private HostProcesses() {}

    /** Live processes whose command line (arguments joined by spaces) contains {@code text}: "PID command line" each. */
    static List<String> matching(String text) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            entries.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .forEach(p -> {
                        try {
                            String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                    .replace('\0', ' ')
                                    .strip();
                            if (cmd.contains(text) && !isZombie(p)) found.add(p.getFileName() + " " + cmd);
                        } catch (IOException e) {
                            // gone meanwhile
                        }
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    /**
     * The engine's processes for a container: Podman's conmons (the container's own, and one or two per exec
     * session while it lasts) and the clean-ups they run, all of which name the container by its full id.
     */
    static List<String> engineHelpers(String containerId) {
        return matching(containerId);
    }

    private static boolean isZombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }
}
