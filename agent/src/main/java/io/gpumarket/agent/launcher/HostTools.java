package io.gpumarket.agent.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The host programs the process launcher drives: util-linux ({@code unshare}, {@code nsenter}, {@code setsid},
 * {@code setpriv}; {@code script} is util-linux too, packaged in Debian's bsdutils), coreutils' {@code stty}, bash,
 * and bubblewrap where installed. Looked up in
 * the standard directories only, never in the agent's own PATH, since they run as root.
 */
final class HostTools {
    private static final List<String> DIRS = List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin");

    private HostTools() {}

    static Optional<Path> find(String name) {
        for (String dir : DIRS) {
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** The path of a program the launcher cannot work without; the message says which package brings it. */
    static String require(String name, String debianPackage) throws LaunchException {
        return find(name).map(Path::toString).orElseThrow(() -> new LaunchException(
                "the process launcher needs '" + name + "' on the host (Debian package " + debianPackage + ")"));
    }

    /** PATH for host-side helpers: nothing from the agent's environment or the renter's. */
    static final String HOST_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";
}
