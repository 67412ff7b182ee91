package io.gpumarket.app.dev;

import java.nio.file.Path;

/**
 * Where {@code gpumarket dev} logs: the server's and its agents' log lines go to a file ({@code logback-dev.xml}), so
 * the terminal keeps one line per agent and the banner, which names the file. Logback reads its configuration once,
 * when the first logger is made, so this runs before anything in the process logs; the dev command is a process of
 * its own (run in-process after something logged, the lines stay where they were going).
 */
public final class DevLog {
    private DevLog() {}

    public static void toFile(Path file) {
        System.setProperty("gpumarket.dev.log", file.toAbsolutePath().toString());
        System.setProperty("logback.configurationFile", "logback-dev.xml");
    }
}
