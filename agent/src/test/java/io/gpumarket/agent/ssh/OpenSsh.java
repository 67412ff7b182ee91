package io.gpumarket.agent.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The stock OpenSSH client programs ({@code ssh}, {@code scp}, {@code sftp}, {@code rsync -e ssh},
 * {@code ssh-keygen}) run against a front door, as a renter would: with a key of their own, a known_hosts file of
 * their own, and no configuration from the machine running the tests.
 */
final class OpenSsh {
    record Result(int exit, String out, String err) {}

    private final Path dir;
    private final Path identity;
    private final Path knownHosts;
    private final String strictHostKeys;

    private OpenSsh(Path dir, Path identity, Path knownHosts, String strictHostKeys) {
        this.dir = dir;
        this.identity = identity;
        this.knownHosts = knownHosts;
        this.strictHostKeys = strictHostKeys;
    }

    /** A renter with a fresh key of the given type (ed25519, rsa, ecdsa) in {@code dir}. */
    static OpenSsh withNewKey(Path dir, String type) throws Exception {
        Files.createDirectories(dir);
        Path key = dir.resolve("id_" + type);
        Result r = exec(
                dir,
                List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", type + "@renter", "-f", key.toString()),
                null);
        if (r.exit() != 0) throw new IllegalStateException("ssh-keygen failed: " + r.err());
        return new OpenSsh(dir, key, dir.resolve("known_hosts"), "accept-new");
    }

    /** The same renter, but refusing any host key not already in its known_hosts. */
    OpenSsh strictHostKeys() {
        return new OpenSsh(dir, identity, knownHosts, "yes");
    }

    String publicKey() throws IOException {
        return Files.readString(identity.resolveSibling(identity.getFileName() + ".pub"))
                .strip();
    }

    Path knownHosts() {
        return knownHosts;
    }

    /** Options shared by ssh, scp and sftp. */
    List<String> options() {
        return List.of(
                "-F",
                "/dev/null",
                "-i",
                identity.toString(),
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "IdentityAgent=none",
                "-o",
                "BatchMode=yes",
                "-o",
                "PasswordAuthentication=no",
                "-o",
                "StrictHostKeyChecking=" + strictHostKeys,
                "-o",
                "UserKnownHostsFile=" + knownHosts,
                "-o",
                "GlobalKnownHostsFile=/dev/null",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=10");
    }

    Result ssh(int port, String command) throws Exception {
        return ssh(port, List.of(), command, null);
    }

    Result ssh(int port, List<String> extra, String command, byte[] stdin) throws Exception {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        argv.addAll(options());
        argv.addAll(extra);
        argv.addAll(List.of("-p", Integer.toString(port), "root@127.0.0.1"));
        if (command != null) argv.add(command);
        return exec(dir, argv, stdin);
    }

    /** An ssh session left running (output discarded), for tests that end it from the client side. */
    Process start(int port, String command) throws IOException {
        List<String> argv = new ArrayList<>(List.of("ssh"));
        argv.addAll(options());
        argv.addAll(List.of("-p", Integer.toString(port), "root@127.0.0.1", command));
        return new ProcessBuilder(argv)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    Result scp(int port, boolean legacyProtocol, String from, String to) throws Exception {
        List<String> argv = new ArrayList<>(List.of("scp"));
        argv.addAll(options());
        if (legacyProtocol) argv.add("-O");
        argv.addAll(List.of("-q", "-P", Integer.toString(port), from, to));
        return exec(dir, argv, null);
    }

    Result sftp(int port, String batch) throws Exception {
        Path batchFile = Files.createTempFile(dir, "sftp", ".batch");
        Files.writeString(batchFile, batch);
        List<String> argv = new ArrayList<>(List.of("sftp"));
        argv.addAll(options());
        argv.addAll(List.of("-b", batchFile.toString(), "-P", Integer.toString(port), "root@127.0.0.1"));
        return exec(dir, argv, null);
    }

    Result rsync(int port, String from, String to) throws Exception {
        StringBuilder shell = new StringBuilder("ssh");
        for (String o : options()) shell.append(' ').append(o);
        shell.append(" -p ").append(port);
        return exec(dir, List.of("rsync", "-a", "--checksum", "-e", shell.toString(), from, to), null);
    }

    static String remote(String path) {
        return "root@127.0.0.1:" + path;
    }

    /** A port nobody listens on right now, on the loopback address. */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Result exec(Path dir, List<String> argv, byte[] stdin) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError(
                    "did not finish within 60 s: " + String.join(" ", argv) + "\n" + Files.readString(err));
        }
        Result r = new Result(
                p.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }
}
