package io.gpumarket.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * How instances run on this host. A plugin with lifecycle verbs (docs/architecture.md §5.4): the agent's runners call these
 * and never touch processes or containers themselves. Implementations: {@code ProcessLauncher} (Linux
 * namespaces, the default without a container engine) and {@code DockerLauncher} (containers through the Docker
 * Engine API, which Docker and Podman serve).
 *
 * <p>Every verb is safe to call again (a second stop of a stopped instance does nothing). Failures to start are
 * {@link LaunchException}s whose message is shown to the renter as {@code status_msg}.
 */
public interface Launcher extends AutoCloseable {
    /** "process", "docker" … shown in status messages. */
    String kind();

    /**
     * Creates the instance's files on first start (kept across stops) and starts its process tree: sets the
     * environment, runs {@code onstart}. Returns once the instance is running.
     */
    void start(InstanceSpec spec) throws LaunchException;

    /**
     * {@link #start(InstanceSpec)}, telling {@code progress} what it is doing while that takes a while (pulling an
     * image: layers and bytes), in words shown to the renter as {@code status_msg}.
     */
    default void start(InstanceSpec spec, Consumer<String> progress) throws LaunchException {
        start(spec);
    }

    /**
     * Creates the instance's files (its disk, and whatever {@link #execFiles} needs to reach them) without starting
     * anything, when this host has none yet: an instance that exists here but never ran, such as the destination of
     * a move to another machine (docs/migrate.md), whose disk is pulled in before its first start here. A later
     * {@link #start} uses what was made; nothing is done when the instance already has files. By default nothing is
     * made: a launcher that cannot hold an instance before its first start says so when {@link #execFiles} is asked.
     */
    default void prepare(InstanceSpec spec) throws LaunchException {}

    /**
     * Which paths of an instance's file system are its own — what moves with it to another machine when its whole
     * file system ({@code /}) is copied. A container's whole root is its own ({@code /}, the default); the process
     * launcher's instances see the host's system read-only and own only {@code /root}, {@code /workspace} and
     * {@code /tmp}.
     */
    default List<String> ownPaths() {
        return List.of("/");
    }

    /**
     * After an agent restart: re-attaches to the instance's process tree if it still runs (it is not restarted).
     * False when it is not running.
     */
    boolean recover(InstanceSpec spec);

    /**
     * Destroys the instance on the host and starts it again from scratch, with its image pulled afresh where the
     * launcher pulls images (Vast's recycle). The contract's GPUs are never given up: the server keeps them for it.
     */
    default void recycle(InstanceSpec spec, Consumer<String> progress) throws LaunchException {
        destroy(spec.id());
        start(spec, progress);
    }

    /** Stops the process tree (TERM, then KILL after {@code grace}); the files stay. */
    void stop(long instanceId, Duration grace);

    /** Stops the instance and deletes its files. */
    void destroy(long instanceId);

    Inspection inspect(long instanceId);

    /**
     * Starts a command inside the instance's view of the system (its namespaces, its /root and /workspace,
     * its environment, working directory /root) — what the SSH front door runs for exec, shell, scp, sftp and
     * rsync. With {@code pty} the process gets a pseudo-terminal.
     */
    Process exec(long instanceId, List<String> command, Map<String, String> extraEnv, boolean pty)
            throws LaunchException;

    /**
     * Starts a command over the instance's files whether or not it runs, without a terminal: while it runs this is
     * {@link #exec}; while it is stopped (or exited) the command runs in the same view of the instance's file system,
     * as the same user and with the same confinement, but without starting the instance's own programs (Vast serves
     * copies and execute on stopped instances from the files at rest). For the rsync daemon behind {@code
     * vastai_kaalia}, the destination's rsync of an instance-to-instance copy, cloud copy and execute: never for a
     * renter's own SSH sessions. A launcher that cannot reach a stopped instance's files throws, saying why.
     */
    default Process execFiles(long instanceId, List<String> command, Map<String, String> extraEnv)
            throws LaunchException {
        return exec(instanceId, command, extraEnv, false);
    }

    /**
     * Tells a session started by {@link #exec} with {@code pty} that the client's terminal changed size (SSH
     * window-change), so full-screen programs redraw. The initial size is taken from {@code COLUMNS} and
     * {@code LINES} in {@code exec}'s {@code extraEnv}. Launchers without terminal support ignore it.
     */
    default void resizeTerminal(Process session, int columns, int rows) {}

    /**
     * How many sessions started by {@link #exec} are open now, where the launcher keeps state for them outside the
     * agent's own processes (a container engine's exec sessions); empty where it does not count them. A figure
     * that only grows is a leak: the agent's metrics show it (the operations issue).
     */
    default OptionalInt openSessions() {
        return OptionalInt.empty();
    }

    /** Ids of the instances that have files on this host (the agent recovers or removes them after a restart). */
    Set<Long> known();

    /** Where the instance's output (onstart and main process) is written, for request_logs. */
    Path logFile(long instanceId);

    /** The instance's output so far (onstart and main process), for request_logs. */
    default byte[] logs(long instanceId) throws IOException {
        Path log = logFile(instanceId);
        return log == null || !Files.exists(log) ? new byte[0] : Files.readAllBytes(log);
    }

    /**
     * The command that serves the SSH {@code sftp} subsystem inside the instance, or empty to look for OpenSSH's
     * sftp-server in the instance itself.
     */
    default List<String> sftpCommand() {
        return List.of();
    }

    /**
     * The program (and its first arguments) that runs rsync inside the instance, for the rsync daemon behind the
     * SSH door's {@code vastai_kaalia} user: by default the {@code rsync} the instance's own {@code PATH} finds
     * (the process launcher's instances see the host's {@code /usr}).
     */
    default List<String> rsyncCommand() {
        return List.of("rsync");
    }

    /**
     * The program (and its first arguments) that copies its stdin to its stdout inside the instance with plain
     * {@code read} and {@code write}, for the relay of an instance-to-instance copy's rsync ({@code
     * agent/copy/CopyPull}): by default the {@code cat} the instance's own {@code PATH} finds (the process launcher's
     * instances see the host's coreutils). A relay must not splice: busybox's {@code cat} moves a socket's bytes into
     * its output pipe with {@code sendfile}, which holds that pipe's lock while it waits for the socket, and the
     * reader on the other end (a container engine's conmon) then cannot take out what is already in it.
     */
    default List<String> relayCommand() {
        return List.of("cat");
    }

    /**
     * The program (and its first arguments) that runs rclone inside the instance, for cloud copy ({@code
     * agent/cloud/CloudCopyRun}): by default the {@code rclone} the instance's own {@code PATH} finds.
     */
    default List<String> rcloneCommand() {
        return List.of("rclone");
    }

    /**
     * Variables rclone gets inside the instance besides the instance's own: containers add the host's CA bundle to
     * the certificates rclone trusts ({@code SSL_CERT_DIR}), so an HTTPS endpoint verifies even from an image without
     * CA certificates. Empty by default (the process launcher's instances see the host's {@code /etc/ssl}).
     */
    default Map<String, String> rcloneEnvironment() {
        return Map.of();
    }

    /**
     * Whether instances this host has but the server no longer lists are removed when the agent starts (their
     * destroy happened while the agent was away). A container launcher says no: a container that belongs to no
     * instance the server knows is reported and left for the host to look at, never killed unseen.
     */
    default boolean removesUnclaimed() {
        return true;
    }

    /**
     * Whether the launcher maps published ports itself (Docker does). When it does not, the agent relays each
     * published host port to the instance's port on loopback.
     */
    default boolean mapsPorts() {
        return true;
    }

    /**
     * For a launcher that {@linkplain #mapsPorts maps ports} itself: which of the instance's published ports
     * ("8080/tcp" → host port) it could not open on the host, in words for the renter ("40080→8080 (…)"); empty when
     * all are open or it cannot tell.
     */
    default List<String> unpublished(long instanceId, Map<String, Integer> ports) {
        return List.of();
    }

    @Override
    default void close() {}

    /**
     * The machine's volumes as the server lists them (docs/volumes.md): the storage of any volume kept here that is
     * not among {@code volumeIds} is wiped. Launchers that keep no volumes ignore it.
     */
    default void keepVolumes(java.util.Set<Long> volumeIds) {}
}
