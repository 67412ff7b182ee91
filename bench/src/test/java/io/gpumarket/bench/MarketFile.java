package io.gpumarket.bench;

import io.gpumarket.server.ServerApp;
import io.gpumarket.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the synthetic market into a SQLite file, for measuring a server started on it in a fresh JVM (issue 14's
 * idle RSS with 100,000 machines): {@code java -cp bench/target/gpumarket-bench.jar:bench/target/test-classes
 * io.gpumarket.bench.MarketFile MACHINES DIR}, then {@code gpumarket server --db jdbc:sqlite:DIR/gpumarket.db}, or
 * {@code … MarketFile serve DIR} (the server alone on that file, as {@code gpumarket server} starts it, until killed;
 * it prints its port once the index is built).
 */
public final class MarketFile {
    private MarketFile() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            ServerApp app =
                    ServerApp.start(ServerConfig.defaults(Path.of(args[1])).withListen("127.0.0.1", 0));
            System.out.println("serving " + app.market().snapshot().size() + " offers on port " + app.port());
            Thread.sleep(Long.MAX_VALUE);
            return;
        }
        int machines = Integer.parseInt(args[0]);
        Path home = Files.createDirectories(Path.of(args[1]));
        SyntheticMarket market = SyntheticMarket.generate(machines);
        try (ServerApp app = ServerApp.start(ServerConfig.defaults(home).withListen("127.0.0.1", 0))) {
            app.bootstrapAdmin().ifPresent(k -> System.out.println("admin key: " + k.secret()));
            StoreLoader.Loaded loaded = StoreLoader.load(app.store(), market);
            System.out.println("loaded " + loaded + " into " + home);
        }
    }
}
