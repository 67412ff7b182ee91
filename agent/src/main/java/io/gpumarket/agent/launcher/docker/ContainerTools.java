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
 * The host's OpenSSH {@code sftp-server}, with the shared libraries and the dynamic loader it links against,
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
    private static final Pattern LIB = Pattern.compile("(/\\S+)");

    private ContainerTools() {}

    /**
     * Fills {@code dir}; the command that runs the SFTP server inside a container, or empty when the host has no
     * sftp-server (then sessions fall back to one found in the image).
     */
    static Optional<List<String>> prepare(Path dir) {
        Optional<Path> server =
                SFTP_SERVERS.stream().map(Path::of).filter(Files::isExecutable).findFirst();
        if (server.isEmpty()) {
            LOG.warn(
                    "no sftp-server on this host (Debian package openssh-sftp-server): SFTP and scp into containers need one in the image");
            return Optional.empty();
        }
        try {
            Files.createDirectories(dir);
            copy(server.get(), dir.resolve("sftp-server"));
            String loader = null;
            for (String line : ldd(server.get())) {
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
            command.add(t + "/sftp-server");
            return Optional.of(List.copyOf(command));
        } catch (IOException e) {
            LOG.warn("could not prepare the containers' sftp-server in {}: {}", dir, e.getMessage());
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
