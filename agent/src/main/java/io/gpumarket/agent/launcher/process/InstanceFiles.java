package io.gpumarket.agent.launcher.process;

import io.gpumarket.agent.launcher.ArgsCommand;
import io.gpumarket.agent.launcher.InstanceEnvironment;
import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.VolumeMount;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The host-side directory of one instance, {@code <instances>/<id>/}:
 * <pre>
 *   root/               the instance's /root        (kept across stop/start, removed by destroy)
 *   workspace/          the instance's /workspace
 *   tmp/                the instance's /tmp
 *   run/                read-only at /run/gpumarket: init.sh, exec.sh, env, onstart.sh, args
 *   mnt/                mount point for the unshare sandbox's new root (empty on the host)
 *   disk.img, volume/   the rented disk as an ext4 image mounted at volume/, whose root/, workspace/ and tmp/ are
 *                       bind-mounted at the three above (limits.DiskImage); absent on hosts without images
 *   log                 onstart and main-process output, appended across runs (request_logs)
 *   instance.properties image, runtype and rented disk of the last start (for status messages)
 *   process.properties  the current run's host processes ({@link ProcessRecord}), for recovery
 *   exit-status         written by the host-side wrapper when the run ends
 *   uid-slot            the host uid range of the instance's user namespace ({@link UidRange}), when it has one
 *   sandbox.sh          the script that builds the sandbox (host side, never visible inside)
 *   stopped             marker: the last run ended because it was stopped, not by itself
 * </pre>
 * The directory is 0700: the host's other users must not read a renter's files. Where the instance runs in a user
 * namespace, its {@code root/}, {@code workspace/} and {@code tmp/} (and everything in them) and its {@code run/}
 * files are owned by the host uid its root maps to ({@link #ownBy}); the rest stays root's.
 */
record InstanceFiles(long id, Path dir) {

    static InstanceFiles of(Path instancesDir, long id) {
        return new InstanceFiles(id, instancesDir.resolve(Long.toString(id)));
    }

    Path root() {
        return dir.resolve("root");
    }

    Path workspace() {
        return dir.resolve("workspace");
    }

    Path tmp() {
        return dir.resolve("tmp");
    }

    Path run() {
        return dir.resolve("run");
    }

    Path mnt() {
        return dir.resolve("mnt");
    }

    Path log() {
        return dir.resolve("log");
    }

    Path processRecord() {
        return dir.resolve("process.properties");
    }

    Path exitStatusFile() {
        return dir.resolve("exit-status");
    }

    Path stoppedMarker() {
        return dir.resolve("stopped");
    }

    Path meta() {
        return dir.resolve("instance.properties");
    }

    Path uidSlot() {
        return dir.resolve("uid-slot");
    }

    boolean exists() {
        return Files.isDirectory(dir);
    }

    /** Creates what is missing; on the first start /root gets the host's /etc/skel (a usual .bashrc/.profile). */
    void create() throws IOException {
        boolean fresh = isEmptyOrAbsent(root()); // empty: a new disk image is already mounted there (limits.DiskImage)
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        mkdir(root(), "rwx------");
        mkdir(workspace(), "rwxr-xr-x");
        mkdir(tmp(), "rwxrwxrwx");
        Files.setAttribute(tmp(), "unix:mode", 01777); // sticky, like every /tmp
        mkdir(run(), "rwxr-xr-x");
        mkdir(mnt(), "rwxr-xr-x");
        if (!Files.exists(log())) Files.createFile(log());
        if (fresh) copySkeleton();
    }

    /** Writes the run directory for a start (or refreshes it for a recovered run); each file replaced atomically. */
    void writeRunFiles(InstanceSpec spec, InstanceEnvironment env) throws IOException {
        replace(run().resolve("init.sh"), InstanceScripts.INIT_SH.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        replace(run().resolve("exec.sh"), InstanceScripts.EXEC_SH.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        writeRestScript();
        replace(run().resolve("env"), env.toNulSeparated(), "rw-------");
        // Runtype args with an onstart: onstart is the entrypoint (ArgsCommand), not a script run before it.
        String onstart = spec.onstart() == null || ArgsCommand.replacesEntrypoint(spec) ? "" : spec.onstart();
        replace(run().resolve("onstart.sh"), onstart.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        replace(run().resolve("args"), nulSeparated(mainCommand(spec)), "rw-r--r--");

        Properties p = new Properties();
        p.setProperty("image", spec.image() == null ? "" : spec.image());
        p.setProperty("runtype", spec.runtype() == null ? "ssh" : spec.runtype());
        p.setProperty("diskGb", Double.toString(spec.diskGb()));
        p.setProperty("numGpus", Integer.toString(Math.max(0, spec.numGpus())));
        // the volumes too: a run at rest (RestRuns) binds them as the running instance has them
        for (int k = 0; k < spec.volumes().size(); k++) {
            VolumeMount v = spec.volumes().get(k);
            p.setProperty("volume." + k + ".id", Long.toString(v.id()));
            p.setProperty("volume." + k + ".sizeGb", Long.toString(v.sizeGb()));
            p.setProperty("volume." + k + ".at", v.mountPath());
        }
        Path tmp = meta().resolveSibling("instance.properties.tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "gpumarket process launcher: the spec of the last start");
        }
        Files.move(tmp, meta(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The init of a run at rest ({@link InstanceScripts#REST_SH}), written by every start and before a run at rest. */
    void writeRestScript() throws IOException {
        replace(run().resolve("rest.sh"), InstanceScripts.REST_SH.getBytes(StandardCharsets.UTF_8), "rw-r--r--");
    }

    /**
     * Gives the instance's own files to host uid {@code uid} (root inside its user namespace; 0 without one): the
     * run files always (they are rewritten by root at each start), the data directories recursively when their top
     * is not already {@code uid}'s (the first start, or a change of range). Links are changed, never followed.
     */
    void ownBy(long uid) throws IOException {
        for (Path d : List.of(root(), workspace(), tmp())) {
            if (owner(d) != uid) chownTree(d, uid);
        }
        try (Stream<Path> files = Files.list(run())) {
            for (Path p : files.toList()) chown(p, uid);
        }
        chown(run(), uid);
    }

    /** Gives a tree (a volume's storage) to {@code uid} unless its top already belongs to it. */
    static void ownTree(Path top, long uid) throws IOException {
        if (owner(top) != uid) chownTree(top, uid);
    }

    private static long owner(Path p) throws IOException {
        return ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
    }

    private static void chown(Path p, long uid) throws IOException {
        Files.setAttribute(p, "unix:uid", (int) uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", (int) uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static void chownTree(Path top, long uid) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                chown(d, uid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                chown(file, uid);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished meanwhile
            }
        });
    }

    /**
     * The main process for runtype args: {@code onstart} as the entrypoint with the args appended
     * ({@link ArgsCommand}); without an onstart (a process has no image entrypoint), {@code args} as given, else
     * {@code args_str} through bash. None for the other runtypes.
     */
    static List<String> mainCommand(InstanceSpec spec) {
        if (!ArgsCommand.isArgs(spec)) return List.of();
        if (ArgsCommand.replacesEntrypoint(spec)) return ArgsCommand.command(spec);
        if (!spec.args().isEmpty()) return spec.args();
        if (spec.argsStr() != null && !spec.argsStr().isBlank()) return List.of("bash", "-c", spec.argsStr());
        return List.of();
    }

    /** The volumes of the last start, as {@link #writeRunFiles} recorded them (none before the first start). */
    static List<VolumeMount> volumes(Properties meta) {
        List<VolumeMount> out = new ArrayList<>();
        for (int k = 0; meta.getProperty("volume." + k + ".id") != null; k++) {
            try {
                out.add(new VolumeMount(
                        Long.parseLong(meta.getProperty("volume." + k + ".id")),
                        Long.parseLong(meta.getProperty("volume." + k + ".sizeGb", "0")),
                        meta.getProperty("volume." + k + ".at", "")));
            } catch (NumberFormatException e) {
                // a damaged entry binds nothing
            }
        }
        return out;
    }

    Properties readMeta() {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(meta())) {
            p.load(r);
        } catch (IOException e) {
            // never started: no image or disk to report yet
        }
        return p;
    }

    Optional<ProcessRecord> record() {
        return ProcessRecord.read(processRecord());
    }

    /** The exit status the wrapper recorded for the last run, if it ended. */
    Optional<Integer> exitStatus() {
        try {
            return Optional.of(
                    Integer.parseInt(Files.readString(exitStatusFile()).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    boolean stoppedOnRequest() {
        return Files.exists(stoppedMarker());
    }

    void markStopped() throws IOException {
        Files.writeString(stoppedMarker(), "");
    }

    /** Forget how the previous run ended, before a new one starts. */
    void clearRunState() throws IOException {
        Files.deleteIfExists(exitStatusFile());
        Files.deleteIfExists(stoppedMarker());
        Files.deleteIfExists(processRecord());
    }

    void appendLog(String line) {
        try {
            Files.writeString(log(), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the log is for the renter's information; failing to write it must not fail the verb
        }
    }

    /** The last lines of the log (for messages that say why a run ended). */
    List<String> logTail(int lines) {
        try (Stream<String> all = Files.lines(log(), StandardCharsets.ISO_8859_1)) {
            List<String> list = new ArrayList<>();
            all.forEach(l -> {
                list.add(l);
                if (list.size() > lines) list.removeFirst();
            });
            return list;
        } catch (IOException | java.io.UncheckedIOException e) {
            return List.of();
        }
    }

    /** Deletes the whole directory; symbolic links are removed, never followed. */
    void delete() throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) throw e;
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private void copySkeleton() {
        Path skel = Path.of("/etc/skel");
        if (!Files.isDirectory(skel)) return;
        try (Stream<Path> files = Files.list(skel)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(f, root().resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            // a missing .bashrc only makes the shell plainer
        }
    }

    private static boolean isEmptyOrAbsent(Path d) throws IOException {
        if (!Files.isDirectory(d)) return true;
        try (Stream<Path> entries = Files.list(d)) {
            return entries.findAny().isEmpty();
        }
    }

    private static void mkdir(Path d, String perms) throws IOException {
        if (!Files.isDirectory(d)) {
            Files.createDirectories(d);
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString(perms));
        }
    }

    private static void replace(Path file, byte[] content, String perms) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, content);
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString(perms));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] nulSeparated(List<String> words) {
        StringBuilder b = new StringBuilder();
        for (String w : words) b.append(w.replace("\0", "")).append('\0');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
