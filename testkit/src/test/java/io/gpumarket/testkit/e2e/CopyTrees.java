package io.gpumarket.testkit.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Trees for the copy tests, and what they hold, compared byte for byte. */
final class CopyTrees {
    private CopyTrees() {}

    /** A 4 MB random file, nested folders, an empty file, a name with a space, a relative symlink. */
    static Path tree(Path root) throws IOException {
        Random random = new Random(42);
        byte[] big = new byte[4 * 1024 * 1024];
        random.nextBytes(big);
        Files.createDirectories(root.resolve("a/b/c"));
        Files.createDirectories(root.resolve("x/y"));
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(root.resolve("a/b/c/deep.txt"), "deep inside\n");
        byte[] mid = new byte[123_457];
        random.nextBytes(mid);
        Files.write(root.resolve("x/y/mid.bin"), mid);
        Files.write(root.resolve("x/empty"), new byte[0]);
        Files.writeString(root.resolve("with space.txt"), "spaced\n");
        Files.createSymbolicLink(root.resolve("x/link"), Path.of("y/mid.bin"));
        return root;
    }

    /** Relative path → sha256 of every file under {@code root}, and "-> target" of every symlink. */
    static Map<String, String> contents(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                String name = root.relativize(p).toString();
                if (Files.isSymbolicLink(p)) out.put(name, "-> " + Files.readSymbolicLink(p));
                else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) out.put(name, sha256(p));
            }
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
