package io.gpumarket.agent.launcher.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What an instance sees of the host, the same for every sandbox: a fresh root (a tmpfs) holding
 * <ul>
 *   <li>an <b>allow-list</b> of the host's top-level entries, bound <b>read-only</b>: the system's programs and
 *       libraries ({@code /usr}, {@code /bin}, {@code /sbin}, {@code /lib*}, {@code /opt}), its configuration
 *       ({@code /etc}, with the password hashes and SSH host keys covered) and {@code /sys}, plus the host's
 *       top-level symbolic links among them ({@code /bin -> usr/bin}), so the host's programs run unchanged — that
 *       is the "image". Nothing else: not {@code /var}, {@code /home}, {@code /srv}, {@code /mnt}, {@code /work}, nor
 *       wherever an agent's state or a server's database lies outside the allow-list;</li>
 *   <li>its own {@code /root}, {@code /workspace} and {@code /tmp} from the instance directory (read-write), and an
 *       empty {@code /var/tmp};</li>
 *   <li>its own {@code /proc} (its PID namespace only), a minimal {@code /dev} with a private {@code /dev/pts},
 *       the host's GPU device nodes, and an empty {@code /run} with {@code /run/gpumarket} and what /etc's links
 *       need ({@link #runDirsToKeep()}), both read-only;</li>
 *   <li>empty tmpfs over the {@linkplain #hidden() hidden directories} that lie <em>inside</em> an allowed one (an
 *       agent installed under {@code /opt}, a state directory named by the operator); {@code /dev/null} over the
 *       {@linkplain #hiddenFiles() hidden files} (password hashes, the host's SSH private keys).</li>
 * </ul>
 * Binding top-level entries one by one (instead of the whole {@code /}) is what lets {@code /workspace} exist
 * in the sandbox without creating it on the host. An allow-list rather than a deny-list, because the places a
 * host keeps secrets (another agent's state, a server's SQLite file, a backup under {@code /srv}) are not known
 * in advance.
 */
final class HostView {
    /**
     * The host's top-level entries an instance may see (read-only), where they exist: programs, libraries (every
     * multilib layout), configuration and the kernel's device view. Everything else at the top level is left out.
     */
    static final Set<String> ALLOWED =
            Set.of("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "etc", "opt", "sys");

    /** One top-level entry of the host's root. {@code linkTarget} is set for symbolic links. */
    record Entry(String name, boolean directory, String linkTarget) {}

    private final List<Path> hidden;

    HostView(List<Path> hidden) {
        this.hidden = List.copyOf(hidden);
    }

    /** The host's top-level entries to show: the {@linkplain #ALLOWED allowed} ones that exist. */
    List<Entry> topLevel() throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("/"))) {
            for (Path p : list.sorted().toList()) {
                String name = p.getFileName().toString();
                if (!ALLOWED.contains(name)) continue;
                if (Files.isSymbolicLink(p)) {
                    entries.add(new Entry(name, false, Files.readSymbolicLink(p).toString()));
                } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new Entry(name, true, null));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    entries.add(new Entry(name, false, null));
                }
            }
        }
        return entries;
    }

    /**
     * The paths to cover with an empty tmpfs: those that exist and lie inside a directory the instance sees
     * (one under /tmp or /root is not visible anyway), outermost first, nested ones dropped.
     */
    List<Path> hidden() {
        List<Path> result = new ArrayList<>();
        for (Path p : hidden) {
            Path real;
            try {
                real = p.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (real.getNameCount() == 0 || !Files.isDirectory(real)) continue;
            if (!ALLOWED.contains(real.getName(0).toString())) continue;
            result.add(real);
        }
        result.sort(Comparator.comparingInt(Path::getNameCount));
        List<Path> outermost = new ArrayList<>();
        for (Path p : result) {
            if (outermost.stream().noneMatch(p::startsWith)) outermost.add(p);
        }
        return outermost;
    }

    /**
     * Directories under the host's /run that /etc needs, kept (read-only) in the instance's otherwise empty /run:
     * where a symbolic link directly in /etc points, typically {@code /etc/resolv.conf ->
     * /run/systemd/resolve/stub-resolv.conf}, without which name resolution would fail inside.
     */
    List<Path> runDirsToKeep() {
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> etc = Files.list(Path.of("/etc"))) {
            for (Path link : etc.filter(Files::isSymbolicLink).sorted().toList()) {
                try {
                    Path target = link.toRealPath();
                    if (target.startsWith("/run") && target.getParent() != null && !dirs.contains(target.getParent())) {
                        dirs.add(target.getParent());
                    }
                } catch (IOException e) {
                    // a dangling link stays dangling inside too
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return dirs;
    }

    /**
     * Host files to show as empty (/dev/null bound over them): the password hashes and the host's own SSH private
     * keys, which root inside would otherwise read (it owns them, and the instance runs as uid 0), plus any regular
     * file among the paths the operator asked to hide.
     */
    List<Path> hiddenFiles() {
        List<Path> files = new ArrayList<>();
        for (String f : List.of("/etc/shadow", "/etc/shadow-", "/etc/gshadow", "/etc/gshadow-")) files.add(Path.of(f));
        try (Stream<Path> ssh = Files.list(Path.of("/etc/ssh"))) {
            ssh.filter(p -> p.getFileName().toString().matches("ssh_host_.*_key"))
                    .sorted()
                    .forEach(files::add);
        } catch (IOException e) {
            // no OpenSSH server on this host: no host keys to hide
        }
        files.addAll(hidden);
        List<Path> result = new ArrayList<>();
        for (Path p : files) {
            if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || p.getNameCount() == 0) continue;
            if (!ALLOWED.contains(p.toAbsolutePath().getName(0).toString())) continue;
            result.add(p.toAbsolutePath());
        }
        return result;
    }

    /**
     * GPU device nodes to pass through: NVIDIA's ({@code /dev/nvidia0}, {@code /dev/nvidiactl}, {@code /dev/nvidia-uvm}
     * …, the {@code nvidia-caps} directory) and DRM's {@code /dev/dri}. Every GPU of the host is visible: the
     * process launcher has no device cgroup to narrow it to the rented ones.
     */
    List<Path> gpuDevices() {
        List<Path> devices = new ArrayList<>();
        try (Stream<Path> list = Files.list(Path.of("/dev"))) {
            list.filter(p -> p.getFileName().toString().startsWith("nvidia"))
                    .sorted()
                    .forEach(devices::add);
        } catch (IOException e) {
            return List.of();
        }
        Path dri = Path.of("/dev/dri");
        if (Files.isDirectory(dri)) devices.add(dri);
        return devices;
    }

    /**
     * Where the instance's resolver configuration is mounted: the file {@code /etc/resolv.conf} is, or links to
     * (typically in a {@linkplain #runDirsToKeep() kept /run directory}): a bind mount replaces a file, not a link.
     */
    Path resolverConfig() {
        Path conf = Path.of("/etc/resolv.conf");
        try {
            return conf.toRealPath();
        } catch (IOException e) {
            return conf;
        }
    }
}
