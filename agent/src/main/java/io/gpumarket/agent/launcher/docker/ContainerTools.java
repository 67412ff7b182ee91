package io.gpumarket.agent.launcher.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's OpenSSH {@code sftp-server}, rsync, rclone and dd (the relay of an instance-to-instance copy), with the shared libraries and the dynamic loader it links against,
 * copied into one directory that every container gets read-only at {@link ContainerRequest#TOOLS}. Started
 * through that loader ({@code ld.so --library-path DIR sftp-server}), it runs in any image whatever its libc, or
 * without one: so SFTP (and scp, which speaks SFTP by default) sees the container's own file system, with the
 * kernel, not the agent, keeping it inside, and images need no sshd.
 */
final class ContainerTools {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerTools.class);
    private static final List<String> SFTP_SERVERS = List.of(
            "/usr/lib/openssh/sftp-server",
            "/usr/libexec/openssh/sftp-server",
            "/usr/lib/ssh/sftp-server",
            "/usr/libexec/sftp-server");
    private static final List<String> RSYNCS = List.of("/usr/bin/rsync", "/bin/rsync", "/usr/local/bin/rsync");
    private static final Pattern LIB = Pattern.compile("(/\\S+)");

    private ContainerTools() {}

    /**
     * What {@link #prepare} made ready: each tool's command inside a container, empty where the host lacks it, and
     * the directory inside holding the host's CA bundle (null when the host has none).
     */
    record Tools(List<String> sftp, List<String> rsync, List<String> rclone, List<String> relay, String caDir) {}

    /** Debian's bundle of the CAs it trusts (package ca-certificates), and the other distributions' usual places. */
    private static final List<String> CA_BUNDLES =
            List.of("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem");

    private static final List<String> RCLONES = List.of("/usr/bin/rclone", "/usr/local/bin/rclone");
    private static final List<String> DDS = List.of("/usr/bin/dd", "/bin/dd");

    /**
     * Fills {@code dir} with the host's sftp-server and rsync (for the {@code vastai_kaalia@…::ID} rsync daemon,
     * {@code agent/ssh/RsyncDaemon}); a tool the host lacks is left out (then sessions fall back to one found in
     * the image). Files are added to the directory already bound into running containers, so they see them too.
     */
    static Tools prepare(Path dir) {
        Optional<Path> server =
                SFTP_SERVERS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        if (server.isEmpty()) {
            LOG.warn(
                    "no sftp-server on this host (Debian package openssh-sftp-server): SFTP and scp into containers need one in the image");
        }
        Optional<Path> rsync =
                RSYNCS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        if (rsync.isEmpty()) {
            LOG.warn(
                    "no rsync on this host (Debian package rsync): vastai copy into containers needs one in the image");
        }
        Optional<Path> rclone =
                RCLONES.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        if (rclone.isEmpty()) {
            LOG.warn(
                    "no rclone on this host (Debian package rclone): vastai cloud copy into containers needs one in the image");
        }
        // The relay of an instance-to-instance copy (Launcher.relayCommand): coreutils' dd reads and writes, one
        // block as it came (bs= without fullblock), where the image's busybox cat would splice into the exec's pipe.
        Optional<Path> dd =
                DDS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        List<String> relay = dd.flatMap(p -> bring(dir, p, "dd"))
                .map(c -> {
                    List<String> words = new ArrayList<>(c);
                    words.addAll(List.of("bs=65536", "status=none"));
                    return List.copyOf(words);
                })
                .orElse(List.of());
        return new Tools(
                server.flatMap(p -> bring(dir, p, "sftp-server")).orElse(List.of()),
                rsync.flatMap(p -> bring(dir, p, "rsync")).orElse(List.of()),
                rclone.flatMap(p -> bring(dir, p, "rclone")).orElse(List.of()),
                relay,
                caBundle(dir));
    }

    /**
     * The host's CA bundle copied to {@code dir/ca/} (rclone inside a container reads it through {@code SSL_CERT_DIR},
     * beside the image's own certificates); the directory as containers see it, or null when the host has none.
     */
    static String caBundle(Path dir) {
        Optional<Path> bundle =
                CA_BUNDLES.stream().map(Path::of).filter(Files::isReadable).findFirst();
        if (bundle.isEmpty()) {
            LOG.warn("no CA bundle on this host (Debian package ca-certificates): rclone in containers trusts only the"
                    + " image's certificates");
            return null;
        }
        try {
            Path ca = Files.createDirectories(dir.resolve("ca"));
            copy(bundle.get(), ca.resolve("ca-certificates.crt"));
            return ContainerRequest.TOOLS + "/ca";
        } catch (IOException e) {
            LOG.warn("could not copy the CA bundle {} for containers: {}", bundle.get(), e.getMessage());
            return null;
        }
    }

    /** Copies {@code program} and what it links against into {@code dir}; the command that starts it there. */
    private static Optional<List<String>> bring(Path dir, Path program, String name) {
        try {
            Files.createDirectories(dir);
            copy(program, dir.resolve(name));
            String loader = null;
            for (String line : ldd(program)) {
                Matcher m = LIB.matcher(line);
                if (!m.find()) continue;
                Path lib = Path.of(m.group(1));
                if (!Files.exists(lib)) continue;
                copy(lib, dir.resolve(lib.getFileName().toString()));
                if (!line.contains("=>")) loader = lib.getFileName().toString();
            }
            String t = ContainerRequest.TOOLS;
            List<String> command = new ArrayList<>();
            if (loader != null) command.addAll(List.of(t + "/" + loader, "--library-path", t));
            command.add(t + "/" + name);
            return Optional.of(List.copyOf(command));
        } catch (IOException e) {
            LOG.warn("could not prepare the containers' {} in {}: {}", name, dir, e.getMessage());
            return Optional.empty();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        Path tmp = to.resolveSibling(to.getFileName() + ".tmp");
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        tmp.toFile().setExecutable(true, false);
        tmp.toFile().setReadable(true, false);
        Files.move(tmp, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** ldd's lines; none for a static program. */
    private static List<String> ldd(Path program) throws IOException {
        Process p = new ProcessBuilder("ldd", program.toString())
                .redirectErrorStream(true)
                .start();
        List<String> lines =
                new String(p.getInputStream().readAllBytes()).lines().toList();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines.stream().filter(l -> !l.contains("not a dynamic")).toList();
    }
}
