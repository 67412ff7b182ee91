package io.gpumarket.bench;

import io.gpumarket.api.GpuMarketClient;
import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import io.gpumarket.server.ratelimit.RateLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real server on a free loopback port, its store (a temp SQLite file, or the given database) filled with the
 * synthetic market and its index rebuilt from the store, with a renter account made through the admin API.
 * The server's clock stands at the market's "now", so HTTP searches see the same rentable offers as the
 * in-process ones.
 */
public final class BenchServer implements AutoCloseable {
    private final Path home;
    private final ServerApp app;
    private final StoreLoader.Loaded loaded;
    private final long loadMillis;
    private final String renterKey;

    private BenchServer(Path home, ServerApp app, StoreLoader.Loaded loaded, long loadMillis, String renterKey) {
        this.home = home;
        this.app = app;
        this.loaded = loaded;
        this.loadMillis = loadMillis;
        this.renterKey = renterKey;
    }

    /** @param jdbcUrl null for SQLite in a temp directory */
    public static BenchServer start(SyntheticMarket market, String jdbcUrl) {
        Path home;
        try {
            home = Files.createTempDirectory("gpumarket-bench");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a benchmark measures the server flat out: no rate limit in the way
        ServerConfig config = ServerConfig.defaults(home)
                .withListen("127.0.0.1", 0)
                .withRateLimits(RateLimits.off())
                .withClock(Clock.fixed(Instant.ofEpochSecond(market.now()), ZoneOffset.UTC));
        if (jdbcUrl != null) config = config.withDatabase(jdbcUrl, null, null);
        ServerApp app = ServerApp.start(config);
        try {
            String adminKey = app.bootstrapAdmin()
                    .orElseThrow(
                            () -> new IllegalStateException("the benchmark database is not empty (no bootstrap admin)"))
                    .secret();
            long t0 = System.nanoTime();
            StoreLoader.Loaded loaded = StoreLoader.load(app.store(), market);
            app.market().rebuild();
            long loadMillis = (System.nanoTime() - t0) / 1_000_000;
            GpuMarketClient admin = new GpuMarketClient("http://127.0.0.1:" + app.port(), adminKey);
            String renterKey = (String) admin.adminCreateUser("renter@bench.invalid", "bench-renter", false)
                    .get("api_key");
            return new BenchServer(home, app, loaded, loadMillis, renterKey);
        } catch (RuntimeException e) {
            app.close();
            delete(home);
            throw e;
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + app.port();
    }

    public String renterKey() {
        return renterKey;
    }

    public StoreLoader.Loaded loaded() {
        return loaded;
    }

    /** Loading the store and rebuilding the index from it, ms. */
    public long loadMillis() {
        return loadMillis;
    }

    public String database() {
        return app.store().dialect();
    }

    public int indexedOffers() {
        return app.market().snapshot().size();
    }

    @Override
    public void close() {
        try {
            app.close();
        } finally {
            delete(home);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
