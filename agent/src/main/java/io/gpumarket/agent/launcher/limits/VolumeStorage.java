package io.gpumarket.agent.launcher.limits;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine's volumes on disk (docs/volumes.md), shared by both launchers: each is {@code <dir>/<id>/data}, a
 * loop-mounted ext4 image of the rented size ({@code <dir>/<id>/disk.img}, made like an instance's {@link DiskImage})
 * where the host can make one, so that writes past the size fail with ENOSPC; else a plain directory whose size is
 * not enforced. Instances bind its {@code data} directory at their mount path; destroying an instance leaves it, and
 * only {@link #wipe} (the volume left the server's list) deletes it.
 */
public final class VolumeStorage {
    private static final Logger LOG = LoggerFactory.getLogger(VolumeStorage.class);
    private final Path dir;

    public VolumeStorage(Path dir) {
        this.dir = dir;
    }

    /** The directory instances bind, made (and mounted) if it is not yet. */
    public synchronized Path ensure(long id, long sizeGb) throws IOException {
        Path home = dir.resolve(Long.toString(id));
        Path data = home.resolve("data");
        Files.createDirectories(data);
        if (DiskImage.unavailable().isPresent()) return data;
        Path image = home.resolve("disk.img");
        if (!Files.exists(image)) create(image, sizeGb);
        if (!Mounts.isMountPoint(Mounts.read(), data)) {
            DiskImage.Host.run(
                    List.of(
                            DiskImage.Host.require("mount"),
                            "-t",
                            "ext4",
                            "-o",
                            "loop,nosuid,nodev,noatime",
                            image.toString(),
                            data.toString()),
                    "mount the volume image " + image);
        }
        return data;
    }

    /** True when the volume's storage is an image of its size (enforced), false for a plain directory. */
    public boolean enforced(long id) {
        return Files.exists(dir.resolve(Long.toString(id)).resolve("disk.img"));
    }

    /** The ids of the volumes stored here. */
    public synchronized Set<Long> stored() {
        if (!Files.isDirectory(dir)) return Set.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9]{1,18}"))
                    .map(Long::parseLong)
                    .collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Wipes every stored volume not among {@code keep} (the server's list of the machine's volumes). */
    public void keepOnly(Collection<Long> keep) {
        for (long id : stored()) {
            if (keep.contains(id)) continue;
            try {
                wipe(id);
                LOG.info("volume {} deleted on the server: its storage is wiped", id);
            } catch (IOException e) {
                LOG.warn("volume {}: could not wipe its storage: {}", id, e.getMessage());
            }
        }
    }

    /** Unmounts (lazily when busy) and deletes the volume's storage. */
    public synchronized void wipe(long id) throws IOException {
        Path home = dir.resolve(Long.toString(id));
        Path data = home.resolve("data");
        if (Mounts.isMountPoint(Mounts.read(), data)) {
            try {
                DiskImage.Host.run(List.of(DiskImage.Host.require("umount"), data.toString()), "unmount " + data);
            } catch (IOException busy) {
                DiskImage.Host.run(List.of(DiskImage.Host.require("umount"), "-l", data.toString()), "detach " + data);
            }
        }
        if (!Files.exists(home)) return;
        Files.walkFileTree(home, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void create(Path image, long sizeGb) throws IOException {
        Path partial = image.resolveSibling(image.getFileName() + ".new");
        Files.deleteIfExists(partial);
        try (RandomAccessFile f = new RandomAccessFile(partial.toFile(), "rw")) {
            f.setLength(DiskImage.imageBytes(sizeGb));
        }
        DiskImage.Host.run(
                List.of(
                        DiskImage.Host.require("mkfs.ext4"),
                        "-q",
                        "-F",
                        "-m",
                        "0",
                        "-E",
                        "nodiscard",
                        "-L",
                        "gpumarket-vol",
                        partial.toString()),
                "format the volume image " + partial);
        Files.move(partial, image);
    }
}
