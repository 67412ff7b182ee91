package io.gpumarket.agent.launcher;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command inside an instance through {@link Launcher#exec} and collects what it printed. */
public final class Sessions {
    public record Result(int exit, String out, String err) {}

    private Sessions() {}

    public static Result run(Launcher launcher, long id, String script) throws Exception {
        return run(launcher, id, List.of("bash", "-c", script), Map.of(), false);
    }

    public static Result run(Launcher launcher, long id, List<String> command, Map<String, String> env, boolean pty)
            throws Exception {
        Process p = launcher.exec(id, command, env, pty);
        p.getOutputStream().close();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("command did not finish within 30 s: " + command);
        }
        errReader.join();
        return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (java.io.IOException ignored) {
            // the process is gone
        }
    }
}
