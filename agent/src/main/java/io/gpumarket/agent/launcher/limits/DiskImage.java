package io.gpumarket.agent.launcher.limits;

import io.gpumarket.agent.launcher.HostTools;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An instance's rented {@code disk}, enforced: a sparse file of the rented size (plus ext4's own overhead, so
 * that the renter can store the full amount) formatted as ext4 and loop-mounted at {@code <instance>/volume},
 * whose {@code root/}, {@code workspace/} and {@code tmp/} are bind-mounted at {@code <instance>/root} and its
 * two siblings: every other part of the launcher keeps using the same real directories (ownership changes,
 * walks, sandbox binds all work on them as before), and all three count toward the one rented size. When the
 * files fill it, writes inside fail with ENOSPC ("No space left on device") like on any full disk, and
 * {@link #space()} tells the agent so.
 *
 * <p>The mounts are the host's, so they outlive the agent (a restarted agent finds them mounted); after a host
 * reboot the next start mounts them again. {@code mount -o loop} sets the loop device to detach itself when
 * unmounted, so {@link #release} frees the loop device too. The file is sparse: it takes host disk only for what
 * the instance wrote.
 *
 * @param image      {@code <instance>/disk.img}
 * @param mountPoint {@code <instance>/volume}
 */
public record DiskImage(Path image, Path mountPoint) {
    /** The instance's directories on the image, each bind-mounted at the same name in the instance directory. */
    public static final Map<String, String> DIRS =
            Map.of("root", "rwx------", "workspace", "rwxr-xr-x", "tmp", "rwxrwxrwx");
    /** Below this much free space the disk counts as full: small writes may still pass, anything real fails. */
    public static final long FULL_BELOW_BYTES = 16L << 20;

    /** The image of the instance whose directory is {@code instanceDir}. */
    public static DiskImage of(Path instanceDir) {
        return new DiskImage(instanceDir.resolve("disk.img"), instanceDir.resolve("volume"));
    }

    /**
     * Why this host cannot give instances disk images (not root, mkfs.ext4 or mount missing, no loop device), or
     * empty when it can.
     */
    public static Optional<String> unavailable() {
        if (!Host.runningAsRoot())
            return Optional.of("the agent does not run as root (it mounts each instance's disk image)");
        if (Host.find("mkfs.ext4").isEmpty())
            return Optional.of("mkfs.ext4 is not installed (Debian package e2fsprogs)");
        if (Host.find("mount").isEmpty() || Host.find("umount").isEmpty())
            return Optional.of("mount is not installed (Debian package mount)");
        if (!Files.exists(Path.of("/dev/loop-control")) && !Files.exists(Path.of("/dev/loop0"))) {
            return Optional.of("the kernel offers no loop devices (/dev/loop-control is missing)");
        }
        return Optional.empty();
    }

    /** The image's size for {@code diskGb} of usable space: ext4's inode tables, journal and reserves come on top. */
    public static long imageBytes(double diskGb) {
        long rented = (long) Math.ceil(diskGb * 1e9);
        return Math.addExact(Math.addExact(rented, rented / 100 * 3), 64L << 20);
    }

    /**
     * True when the instance has plain directories and no image: made by an agent that had no image to give, or
     * an older one. Such an instance keeps them; its disk use is measured, not enforced.
     */
    public static boolean plainLayout(Path instanceDir) {
        return !Files.exists(of(instanceDir).image()) && Files.isDirectory(instanceDir.resolve("root"));
    }

    /**
     * Makes the image on first use, mounts it if it is not, and bind-mounts its directories at the instance's
     * {@code root}, {@code workspace} and {@code tmp} where they are not yet.
     */
    public void ensureMounted(double diskGb) throws IOException {
        Path dir = image.getParent();
        Files.createDirectories(dir);
        if (!Files.exists(image)) create(diskGb);
        Files.createDirectories(mountPoint);
        List<Mounts.Mount> table = Mounts.read();
        if (!Mounts.isMountPoint(table, mountPoint)) {
            Host.run(
                    List.of(
                            Host.require("mount"),
                            "-t",
                            "ext4",
                            "-o",
                            "loop,nosuid,nodev,noatime",
                            image.toString(),
                            mountPoint.toString()),
                    "mount the disk image " + image);
        }
        for (var d : DIRS.entrySet()) {
            Path onImage = mountPoint.resolve(d.getKey());
            if (!Files.isDirectory(onImage)) {
                Files.createDirectory(onImage);
                Files.setPosixFilePermissions(onImage, PosixFilePermissions.fromString(d.getValue()));
                if (d.getKey().equals("tmp"))
                    Files.setAttribute(onImage, "unix:mode", 01777); // sticky, like every /tmp
            }
            Path at = dir.resolve(d.getKey());
            Files.createDirectories(at);
            if (!Mounts.isMountPoint(table, at)) {
                Host.run(
                        List.of(Host.require("mount"), "--bind", onImage.toString(), at.toString()),
                        "bind " + onImage + " at " + at);
            }
        }
    }

    public boolean exists() {
        return Files.exists(image);
    }

    public boolean mounted() {
        return Mounts.isMountPoint(Mounts.read(), mountPoint);
    }

    /** Used and free bytes of the mounted image; empty when it is not mounted. */
    public Optional<Space> space() {
        if (!mounted()) return Optional.empty();
        try {
            FileStore store = Files.getFileStore(mountPoint);
            long total = store.getTotalSpace();
            return Optional.of(new Space(total - store.getUnallocatedSpace(), store.getUsableSpace()));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** @param usedBytes what the instance's files take; {@code freeBytes} what it can still write */
    public record Space(long usedBytes, long freeBytes) {
        public boolean full() {
            return freeBytes < FULL_BELOW_BYTES;
        }
    }

    /**
     * Unmounts the directories and the image (which frees its loop device) and deletes the image. A mount still
     * busy (a process of the instance holding a file open after it was killed) is detached lazily: it goes as
     * soon as the last file closes.
     */
    public void release() throws IOException {
        Path dir = image.getParent();
        List<Mounts.Mount> table = Mounts.read();
        for (String d : DIRS.keySet()) {
            Path at = dir.resolve(d);
            if (Mounts.isMountPoint(table, at)) unmount(at);
        }
        if (Mounts.isMountPoint(table, mountPoint)) unmount(mountPoint);
        Files.deleteIfExists(image);
    }

    private static void unmount(Path at) throws IOException {
        try {
            Host.run(List.of(Host.require("umount"), at.toString()), "unmount " + at);
        } catch (IOException busy) {
            Host.run(List.of(Host.require("umount"), "-l", at.toString()), "detach " + at);
        }
    }

    private void create(double diskGb) throws IOException {
        Path partial = image.resolveSibling(image.getFileName() + ".new");
        Files.deleteIfExists(partial);
        try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
            f.setLength(imageBytes(diskGb)); // sparse: nothing is written but the file system's own blocks
        }
        // -m 0: no blocks reserved for root (the renter is root inside); nodiscard: nothing to discard in a new file.
        Host.run(
                List.of(
                        Host.require("mkfs.ext4"),
                        "-q",
                        "-F",
                        "-m",
                        "0",
                        "-E",
                        "nodiscard",
                        "-L",
                        "gpumarket",
                        partial.toString()),
                "format the disk image " + partial);
        Files.move(partial, image);
    }

    /** Host programs the image needs, run with an empty environment. */
    static final class Host {
        private Host() {}

        static Optional<Path> find(String tool) {
            return HostTools.find(tool);
        }

        static String require(String tool) throws IOException {
            return find(tool)
                    .orElseThrow(() -> new IOException(tool + " is not installed"))
                    .toString();
        }

        static boolean runningAsRoot() {
            return HostTools.runningAsRoot();
        }

        /** Runs a command to its end (at most a minute); a failure names what was being done and the tool's output. */
        static void run(List<String> argv, String doing) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
            Process p = pb.start();
            String out;
            try {
                out = new String(p.getInputStream().readNBytes(4096)).strip();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(
                            "could not " + doing + ": " + argv.getFirst() + " did not finish within a minute");
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while trying to " + doing, e);
            }
            if (p.exitValue() != 0) {
                throw new IOException("could not " + doing + " (" + argv.getFirst() + " exited with " + p.exitValue()
                        + ")" + (out.isEmpty() ? "" : ": " + out));
            }
        }
    }
}
