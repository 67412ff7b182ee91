package io.gpumarket.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The host programs the process launcher drives: util-linux ({@code unshare}, {@code nsenter}, {@code setsid},
 * {@code setpriv}; {@code script} is util-linux too, packaged in Debian's bsdutils), coreutils' {@code stty}, bash,
 * and bubblewrap where installed. Looked up in
 * the standard directories only, never in the agent's own PATH, since they run as root. Public for the launcher's
 * {@code limits} package (mkfs.ext4, mount), which needs the same lookup and the same root check.
 */
public final class HostTools {
    private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

    private HostTools() {}

    public static Optional<Path> find(String name) {
        for (String dir : DIRS) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The path of a program the launcher cannot work without; the message says which package brings it. */
    public static String require(String name, String debianPackage) throws LaunchException {
        return find(name)
                .map(Path::toString)
                .orElseThrow(() -> new LaunchException("the process launcher needs '" + name
                        + "' on the host (Debian package " + debianPackage + ")"));
    }

    /** Whether this process runs as root (uid 0), read from /proc; false where there is no /proc. */
    public static boolean runningAsRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[2].equals("0");
            }
        } catch (IOException e) {
            // not Linux: the launcher cannot work anyway
        }
        return false;
    }

    /** Whether a probe command exits 0 within 5 s (its output discarded): how the launcher asks what the host allows. */
    public static boolean succeeds(String... argv) {
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** PATH for host-side helpers: nothing from the agent's environment or the renter's. */
    public static final String HOST_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
}
