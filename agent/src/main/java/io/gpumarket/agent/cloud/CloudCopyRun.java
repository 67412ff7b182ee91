package io.gpumarket.agent.cloud;

import io.gpumarket.agent.launcher.LaunchException;
import io.gpumarket.agent.launcher.Launcher;
import io.gpumarket.api.agent.CloudCopyTask;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One cloud copy: rclone run <b>inside the instance</b> through {@link Launcher#exec} (its namespaces, its uid, its
 * limits, its own network), between a path there and the renter's S3-compatible storage. Files land owned by the
 * instance's root, as the renter's own copies would; a symlink resolves in the instance's view, never the host's;
 * the storage is reached from the instance's own network, so a connection's endpoint reaches nothing the renter's
 * own programs could not.
 *
 * <p>The storage's keys never appear on a command line (which every user of the host can read in {@code /proc}):
 * a small shell reads {@code RCLONE_CONFIG_GMCLOUD_<OPTION>=value} lines from its standard input, exports them and
 * execs rclone, which takes the remote {@code gmcloud:} from its environment (rclone's documented env config). The
 * environment of a process is readable only by its own uid and root.
 *
 * <p>Progress is rclone's one-line stats every 2 s, on stderr; the last error line says why a run failed.
 */
final class CloudCopyRun implements Runnable {
    /** rclone's name for the remote; the options become {@code RCLONE_CONFIG_GMCLOUD_*}. */
    static final String REMOTE = "gmcloud";

    /** Reads the options from stdin up to an empty line, then runs the rest of its arguments with them. */
    static final String READ_ENV_THEN_EXEC =
            "while IFS= read -r l; do [ -z \"$l\" ] && break; export \"$l\"; done; exec \"$@\"";

    private final Launcher launcher;
    private final CloudCopyTask task;
    private final CloudCopies.Progress progress;
    private volatile Process process;
    private volatile boolean canceled;

    CloudCopyRun(Launcher launcher, CloudCopyTask task, CloudCopies.Progress progress) {
        this.launcher = launcher;
        this.task = task;
        this.progress = progress;
    }

    @Override
    public void run() {
        String verb = task.toCloud() ? "to cloud" : "from cloud";
        try {
            List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", READ_ENV_THEN_EXEC, "sh"));
            argv.addAll(rcloneArgs(launcher.rcloneCommand(), task));
            Process p = launcher.execFiles(task.instanceId(), argv, launcher.rcloneEnvironment());
            process = p;
            if (canceled) p.destroyForcibly();
            try (OutputStream in = p.getOutputStream()) {
                in.write(envLines(task.remote()).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the shell ended before reading: its exit status says why
            }
            p.getInputStream().close();
            String lastError = "";
            try (BufferedReader err =
                    new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = err.readLine()) != null; ) {
                    String text = message(line);
                    if (text.isEmpty()) continue;
                    if (line.contains("ERROR") || line.contains("Failed") || line.contains("CRITICAL")) {
                        lastError = text;
                    } else if (!canceled) {
                        String shown = "Cloud Copy " + verb + ": " + text;
                        progress.note(task.instanceId(), shown);
                        progress.report(task.id(), "active", shown);
                    }
                }
            }
            int status = p.waitFor();
            if (canceled) return;
            if (status == 0) {
                progress.note(task.instanceId(), "Cloud Copy Operation Finished");
                progress.report(task.id(), "done", "Cloud Copy Operation Finished");
            } else {
                String why = lastError.isEmpty() ? "rclone exited with status " + status : lastError;
                fail("Cloud Copy failed: " + why);
            }
        } catch (LaunchException e) {
            fail("Cloud Copy failed: " + e.getMessage());
        } catch (IOException e) {
            if (!canceled) fail("Cloud Copy failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The server no longer lists the copy (canceled, or the instance went away): rclone is stopped. */
    void cancel() {
        canceled = true;
        Process p = process;
        if (p != null) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private void fail(String why) {
        String line = why.length() > 480 ? why.substring(0, 480) : why;
        progress.note(task.instanceId(), line);
        progress.report(task.id(), "failed", line);
    }

    /** rclone's arguments: {@code copy SRC DST}, the renter's flags (from vastai's list only), one-line stats. */
    static List<String> rcloneArgs(List<String> rclone, CloudCopyTask t) {
        String cloud = REMOTE + ":" + t.cloudPath();
        List<String> a = new ArrayList<>(rclone);
        a.addAll(List.of(
                "copy",
                t.toCloud() ? t.instancePath() : cloud,
                t.toCloud() ? cloud : t.instancePath(),
                "--config",
                "/dev/null",
                "--stats",
                "2s",
                "--stats-one-line",
                "--stats-log-level",
                "NOTICE",
                // symlinks travel as small .rclonelink objects and come back as symlinks (made inside the instance)
                "--links"));
        a.addAll(t.flags());
        return a;
    }

    /** {@code RCLONE_CONFIG_GMCLOUD_<OPTION>=value} lines, then the empty line that ends them. */
    static String envLines(Map<String, String> remote) {
        StringBuilder s = new StringBuilder();
        remote.forEach((k, v) -> {
            // names from the server are rclone option names; anything else, or a value that would start a new line,
            // is left out rather than passed on
            if (!k.matches("[a-z][a-z0-9_]{0,63}")
                    || v == null
                    || v.isEmpty()
                    || v.chars().anyMatch(c -> c < 0x20)) return;
            s.append("RCLONE_CONFIG_")
                    .append(REMOTE.toUpperCase(Locale.ROOT))
                    .append('_')
                    .append(k.toUpperCase(Locale.ROOT))
                    .append('=')
                    .append(v)
                    .append('\n');
        });
        return s.append('\n').toString();
    }

    /** An rclone log line without its date and level ("2026/12/07 11:34:21 NOTICE: "). */
    static String message(String line) {
        String l = line.strip();
        int colon = l.indexOf(": ");
        if (l.matches("^\\d{4}/\\d{2}/\\d{2} \\d{2}:\\d{2}:\\d{2} [A-Z]+ ?: .*") && colon > 0)
            l = l.substring(colon + 2).strip();
        return l.replaceAll("\\s+", " ");
    }
}
