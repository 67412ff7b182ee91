package io.gpumarket.bench.load;

import io.gpumarket.bench.StoreLoader;
import io.gpumarket.bench.SyntheticMarket;
import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.store.Store;
import io.gpumarket.testkit.PostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A fresh database (a SQLite file in a temp home, or a new database of the throwaway PostgreSQL cluster) holding a
 * synthetic market, loaded through an in-process server's store the way {@code BenchServer} does, then handed to a
 * {@link ServerProcess}. The market's "now" is the wall clock's, because the server process runs on the wall clock
 * and its listings must be rentable.
 *
 * @param adminKey the bootstrap admin's API key (the first start of an empty database makes one)
 */
public record LoadedDatabase(
        String backend, String jdbcUrl, Path home, SyntheticMarket market, String adminKey, long loadMillis)
        implements AutoCloseable {

    /** What runs against the loading server before the server under load takes the database over. */
    public interface Prep {
        void run(String baseUrl, String adminKey, SyntheticMarket market, Store store) throws Exception;
    }

    /**
     * @param backend    sqlite or postgresql
     * @param beforeClose runs against the loading server (base URL, admin key) before it closes, e.g. to rent
     *                    instances through the real route
     */
    public static LoadedDatabase create(String backend, int machines, Prep beforeClose) {
        Path home;
        try {
            home = Files.createTempDirectory("gpumarket-load");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String url = switch (backend) {
            case "sqlite" -> "jdbc:sqlite:" + home.resolve("gpumarket.db");
            case "postgresql" -> PostgresCluster.get().newDatabase();
            default -> throw new IllegalArgumentException("--db must be sqlite or postgresql, got " + backend);
        };
        long t0 = System.nanoTime();
        SyntheticMarket market =
                SyntheticMarket.generate(SyntheticMarket.DEFAULT_SEED, machines, System.currentTimeMillis() / 1000);
        ServerApp app = ServerApp.start(
                ServerConfig.defaults(home).withListen("127.0.0.1", 0).withDatabase(url, null, null));
        try {
            String adminKey = app.bootstrapAdmin()
                    .orElseThrow(() -> new IllegalStateException("the new database has users"))
                    .secret();
            StoreLoader.Loaded loaded = StoreLoader.load(app.store(), market);
            if (!loaded.sameIds())
                throw new IllegalStateException("the store did not assign the synthetic offer ids: " + loaded);
            app.market().rebuild();
            if (beforeClose != null) {
                try {
                    beforeClose.run("http://127.0.0.1:" + app.port(), adminKey, market, app.store());
                } catch (Exception e) {
                    throw new IllegalStateException("preparing the database failed: " + e, e);
                }
            }
            return new LoadedDatabase(backend, url, home, market, adminKey, (System.nanoTime() - t0) / 1_000_000);
        } finally {
            app.close();
        }
    }

    /** A PostgreSQL database's server processes, to add their CPU time to the server's; null on SQLite. */
    public PostgresProcesses postgres() {
        return backend.equals("postgresql") ? PostgresProcesses.of(jdbcUrl) : null;
    }

    @Override
    public void close() {
        // the server's log outlives the temp home: bench/target/server-<backend>.log (the last run's)
        Path log = home.resolve("server.log");
        Path out = Path.of(System.getProperty("bench.out", "bench/target"));
        if (Files.isRegularFile(log) && Files.isDirectory(out)) {
            try {
                Files.copy(
                        log,
                        out.resolve("server-" + backend + ".log"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                System.err.println("could not keep the server log: " + e.getMessage());
            }
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + home + ": " + e.getMessage());
        }
    }
}
