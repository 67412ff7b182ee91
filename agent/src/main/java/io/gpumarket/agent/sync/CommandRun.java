package io.gpumarket.agent.sync;

import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One execute command ({@code ls}, {@code rm}, {@code du}, judged by the server) run inside the instance through
 * {@link Launcher#exec} — the instance's own namespaces, user and limits, as an SSH session runs — never on the
 * host. Bounded: at most {@link #MAX_OUTPUT} bytes of output are kept (the rest is read and dropped, so the
 * command is not blocked), and a command still running after {@link #TIME_LIMIT_S} seconds is killed. The text
 * uploaded is stdout, then stderr, then a note when it was cut or killed or failed.
 */
final class CommandRun {
    static final int MAX_OUTPUT = 1 << 20;
    static final long TIME_LIMIT_S = 30;

    private CommandRun() {}

    static String run(Launcher launcher, long instanceId, List<String> argv) throws InterruptedException {
        Process p;
        try {
            p = launcher.execFiles(instanceId, argv, Map.of());
        } catch (LaunchException e) {
            return "execute: " + e.getMessage() + "\n";
        }
        try {
            p.getOutputStream().close();
        } catch (IOException e) {
            // a command that reads nothing
        }
        Bounded out = new Bounded(p.getInputStream());
        Bounded err = new Bounded(p.getErrorStream());
        Thread o = Thread.ofVirtual().start(out);
        Thread e = Thread.ofVirtual().start(err);
        boolean ended = p.waitFor(TIME_LIMIT_S, TimeUnit.SECONDS);
        if (!ended) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        o.join(5_000);
        e.join(5_000);
        StringBuilder text = new StringBuilder(out.text()).append(err.text());
        if (out.cut || err.cut)
            text.append("\n[output cut at ").append(MAX_OUTPUT).append(" bytes]\n");
        if (!ended) text.append("\n[killed after ").append(TIME_LIMIT_S).append(" s]\n");
        else if (p.exitValue() != 0)
            text.append("[exit status ").append(p.exitValue()).append("]\n");
        return text.toString();
    }

    /** Reads a stream to its end, keeping the first {@link #MAX_OUTPUT} bytes. */
    private static final class Bounded implements Runnable {
        private final InputStream in;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        volatile boolean cut;

        Bounded(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try (in) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    int room = MAX_OUTPUT - kept.size();
                    if (n > room) cut = true;
                    if (room > 0) kept.write(buf, 0, Math.min(n, room));
                }
            } catch (IOException e) {
                // the process was killed: what was read is kept
            }
        }

        synchronized String text() {
            return kept.toString(StandardCharsets.UTF_8);
        }
    }
}
