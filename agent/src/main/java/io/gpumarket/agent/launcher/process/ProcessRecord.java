package io.gpumarket.agent.launcher.process;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Which host processes are a running instance, written at start so that a restarted agent can find them again
 * (recovery). The wrapper is the host-side shell that waits for the sandbox and records its exit status; the
 * init is pid 1 of the instance's PID namespace, the process {@code nsenter} targets. Each is named by pid and
 * start time, so a pid reused by an unrelated process after a host reboot is never mistaken for the instance.
 *
 * @param startedAt epoch seconds the run started
 * @param sandbox   "isolated", "bwrap" or "unshare", how this run was sandboxed
 */
record ProcessRecord(long wrapperPid, long wrapperStart, long initPid, long initStart, long startedAt, String sandbox) {

    /** The wrapper is alive; the instance runs as long as it does. */
    boolean running() {
        return Procs.alive(wrapperPid, wrapperStart);
    }

    /** The run has a user namespace of its own ({@link IsolatedSandbox}): sessions enter it too. */
    boolean userNamespace() {
        return "isolated".equals(sandbox);
    }

    /** The run has a network namespace of its own: sessions enter it, its counters are the run's traffic. */
    boolean ownNetwork() {
        return "isolated".equals(sandbox);
    }

    /** The init is alive and still the same process. */
    boolean initAlive() {
        return Procs.alive(initPid, initStart);
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("wrapperPid", Long.toString(wrapperPid));
        p.setProperty("wrapperStart", Long.toString(wrapperStart));
        p.setProperty("initPid", Long.toString(initPid));
        p.setProperty("initStart", Long.toString(initStart));
        p.setProperty("startedAt", Long.toString(startedAt));
        p.setProperty("sandbox", sandbox);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "gpumarket process launcher: the host processes of this instance's current run");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The record in {@code file}, empty when there is none or it is unreadable (then the instance is not running). */
    static Optional<ProcessRecord> read(Path file) {
        if (!Files.isRegularFile(file)) return Optional.empty();
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
            return Optional.of(new ProcessRecord(
                    Long.parseLong(p.getProperty("wrapperPid")),
                    Long.parseLong(p.getProperty("wrapperStart")),
                    Long.parseLong(p.getProperty("initPid")),
                    Long.parseLong(p.getProperty("initStart")),
                    Long.parseLong(p.getProperty("startedAt")),
                    p.getProperty("sandbox", "?")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
