package io.gpumarket.agent.launcher.process;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;

/**
 * Bytes used by an instance's files, measured by walking its directories (the process launcher has no
 * filesystem quota to ask). The walk is cached: for at least {@link #MIN_AGE}, and for ten times as long as the
 * last walk took, so an instance holding millions of files costs the agent at most a tenth of one core.
 * Apparent sizes are summed; a file hard-linked twice counts twice.
 */
final class DiskUsage {
    static final Duration MIN_AGE = Duration.ofSeconds(5);

    private final List<Path> roots;
    private long bytes;
    private long measuredAt;
    private long tookNanos;
    private boolean measured;

    DiskUsage(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    synchronized long bytes() {
        long now = System.nanoTime();
        if (!measured || now - measuredAt > Math.max(MIN_AGE.toNanos(), 10 * tookNanos)) {
            bytes = walk();
            tookNanos = System.nanoTime() - now;
            measuredAt = System.nanoTime();
            measured = true;
        }
        return bytes;
    }

    private long walk() {
        long[] sum = {0};
        for (Path root : roots) {
            if (!Files.isDirectory(root)) continue;
            try {
                Files.walkFileTree(root, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        sum[0] += attrs.size();
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        return FileVisitResult.CONTINUE; // deleted while we walked, or unreadable: skip it
                    }
                });
            } catch (IOException e) {
                // the visitor swallows per-file errors; a failure here means the root itself went away
            }
        }
        return sum[0];
    }
}
