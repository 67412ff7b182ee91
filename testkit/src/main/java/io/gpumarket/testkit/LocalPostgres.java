package io.gpumarket.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL cluster in a temp directory, on a free loopback port, trusting every local connection,
 * with fsync off (tests need no durability). PostgreSQL refuses to run as root, so when the JVM is root the
 * binaries run as the {@code postgres} OS user through {@code runuser}. Stopped and deleted when the JVM exits.
 */
final class LocalPostgres {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path bin;
    private final Path dir;
    private final boolean asPostgresUser;
    private final int port;

    private LocalPostgres(Path bin, Path dir, boolean asPostgresUser, int port) {
        this.bin = bin;
        this.dir = dir;
        this.asPostgresUser = asPostgresUser;
        this.port = port;
    }

    /** Initialises and starts a cluster, retrying on another port if the free one was taken meanwhile. */
    static LocalPostgres start() {
        Path bin = findBinaries()
                .orElseThrow(
                        () -> new IllegalStateException(
                                "PostgreSQL binaries (initdb, pg_ctl) not found on PATH or under /usr/lib/postgresql/*/bin: install "
                                        + "PostgreSQL (e.g. apt-get install postgresql) or set "
                                        + PostgresCluster.URL_ENV
                                        + " to the JDBC URL of a running server, e.g. jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres"));
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = createDirectory(root);
        try {
            new LocalPostgres(bin, dir, root, 0 /* initdb listens on nothing */)
                    .run(
                            List.of(
                                    "initdb",
                                    "-D",
                                    dir.resolve("data").toString(),
                                    "-A",
                                    "trust",
                                    "-U",
                                    "postgres",
                                    "-E",
                                    "UTF8",
                                    "--locale=C",
                                    "--no-sync"),
                            "initdb");
            IllegalStateException failure = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                LocalPostgres pg = new LocalPostgres(bin, dir, root, freePort());
                try {
                    pg.run(
                            List.of(
                                    "pg_ctl",
                                    "start",
                                    "-w",
                                    "-D",
                                    pg.data(),
                                    "-l",
                                    dir.resolve("server.log").toString(),
                                    "-o",
                                    pg.serverOptions()),
                            "pg_ctl start");
                    Runtime.getRuntime().addShutdownHook(new Thread(pg::stop, "stop-test-postgres"));
                    return pg;
                } catch (IllegalStateException e) {
                    failure = e;
                }
            }
            throw failure;
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
    }

    String adminUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    private String data() {
        return dir.resolve("data").toString();
    }

    private String serverOptions() {
        return "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                + " -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
    }

    private void stop() {
        try {
            run(List.of("pg_ctl", "stop", "-D", data(), "-m", "immediate"), "pg_ctl stop");
        } catch (RuntimeException e) {
            System.err.println("could not stop the test PostgreSQL in " + dir + ": " + e.getMessage());
        }
        deleteRecursively(dir);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Runs one of the binaries; its output goes to a file (pg_ctl's server keeps running after pg_ctl exits). */
    private void run(List<String> command, String what) {
        List<String> argv = new ArrayList<>();
        if (asPostgresUser) argv.addAll(List.of("runuser", "-u", "postgres", "--"));
        argv.add(bin.resolve(command.get(0)).toString());
        argv.addAll(command.subList(1, command.size()));
        Path out = dir.resolve(what.replace(' ', '-') + ".out");
        try {
            Process p = new ProcessBuilder(argv)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " did not finish in " + TIMEOUT_SECONDS + " s: " + argv);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " failed with exit code " + p.exitValue() + ": " + argv + "\n"
                        + Files.readString(out) + serverLog());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    private String serverLog() throws IOException {
        Path log = dir.resolve("server.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    /** The directory holding initdb and pg_ctl: PATH first, then the newest /usr/lib/postgresql/N/bin. */
    private static Optional<Path> findBinaries() {
        List<Path> candidates = new ArrayList<>();
        for (String entry : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!entry.isBlank()) candidates.add(Path.of(entry));
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.sorted(Comparator.comparingInt(LocalPostgres::majorVersion)
                                .reversed())
                        .forEach(v -> candidates.add(v.resolve("bin")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + debian, e);
            }
        }
        return candidates.stream()
                .filter(d -> Files.isExecutable(d.resolve("initdb")) && Files.isExecutable(d.resolve("pg_ctl")))
                .findFirst()
                // Resolve symlinks (/usr/local/bin/initdb -> …/15/bin/initdb) so both come from one installation.
                .map(d -> {
                    try {
                        return d.resolve("initdb").toRealPath().getParent();
                    } catch (IOException e) {
                        return d;
                    }
                });
    }

    private static int majorVersion(Path versionDir) {
        try {
            return Integer.parseInt(versionDir.getFileName().toString().split("\\.")[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A temp directory for data, socket and logs; owned by {@code postgres} when that user will run the server. */
    private static Path createDirectory(boolean forPostgresUser) {
        try {
            Path dir = Files.createTempDirectory("gpumarket-pg-");
            if (forPostgresUser) {
                UserPrincipal postgres =
                        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
                Files.setOwner(dir, postgres);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot prepare a temp directory for PostgreSQL (running as root, it must "
                            + "be handed to the postgres OS user)",
                    e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }
}
