package io.gpumarket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stock OpenSSH client, as renters use it: a fresh ed25519 identity and one-shot commands. */
public final class Ssh {
    private final Path identity;

    private Ssh(Path identity) {
        this.identity = identity;
    }

    /** Makes a new key pair in {@code dir}. */
    public static Ssh newIdentity(Path dir) {
        Path key = dir.resolve("id_ed25519");
        run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test", "-f", key.toString()), 30);
        return new Ssh(key);
    }

    public String publicKey() {
        try {
            return Files.readString(identity.resolveSibling(identity.getFileName() + ".pub"))
                    .trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code command} in the instance behind host:port. */
    public Result exec(String host, int port, String command) {
        List<String> argv = new ArrayList<>(List.of(
                "ssh",
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=5",
                "-i",
                identity.toString(),
                "-p",
                Integer.toString(port),
                "root@" + host,
                command));
        return run(argv, 60);
    }

    public record Result(int exitCode, String output) {}

    /** The ssh options that reach an instance with this identity (for {@code scp}, {@code sftp}, {@code rsync -e}). */
    public List<String> options() {
        return List.of(
                "-o",
                "StrictHostKeyChecking=no",
                "-o",
                "UserKnownHostsFile=/dev/null",
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "LogLevel=ERROR",
                "-o",
                "ConnectTimeout=5",
                "-i",
                identity.toString());
    }

    /** Runs a client program (scp, rsync …) to its end, at most two minutes. */
    public Result tool(List<String> argv) {
        return run(argv, 120);
    }

    private static Result run(List<String> argv, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out + "\n(timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
