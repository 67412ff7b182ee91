package io.gpumarket.app.command;

import java.nio.file.Path;

/** {@code $GPUMARKET_HOME}, default {@code ./data}: where the server keeps its SQLite file and dev files. */
final class Home {
    private Home() {}

    static Path path() {
        String home = System.getenv("GPUMARKET_HOME");
        return Path.of(home == null || home.isBlank() ? "data" : home)
                .toAbsolutePath()
                .normalize();
    }
}
