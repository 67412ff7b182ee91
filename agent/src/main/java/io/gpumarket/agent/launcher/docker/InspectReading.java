package io.gpumarket.agent.launcher.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.agent.launcher.Inspection;
import io.gpumarket.agent.launcher.Inspection.State;
import io.gpumarket.agent.launcher.JupyterNote;
import io.gpumarket.agent.launcher.NetDev;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * The engine's inspection of a container ({@code GET /containers/{name}/json}) read as the launcher's
 * {@link Inspection}: running (with its start time, usage and traffic), stopped (a stop was asked for, or created
 * and not started yet), or exited (with the code, what it means, the engine's error and the output's last line).
 * Pure: what would need the engine or {@code /proc} (CPU time, traffic, the logs) is asked of a {@link Probe} only
 * when the state needs it, so every reading is unit-tested from JSON.
 */
final class InspectReading {
    private InspectReading() {}

    /** The figures that cost a call to find, asked for only when needed. */
    interface Probe {
        /** CPU seconds the container used. */
        double cpuSeconds();

        /** The traffic counters of the container's network namespace, seen through its process; null if unknown. */
        NetDev.Counters traffic(long pid);

        /** The last non-blank line of the container's output. */
        Optional<String> lastLine();

        /** The container's last output lines since a time (epoch seconds), oldest first. */
        List<String> outputSince(long epochSeconds);
    }

    /**
     * @param name      the container's name
     * @param container the engine's inspection of it
     * @param stopAsked whether this agent stopped it (its stop marker): a stopped container, not an exit
     * @param diskBytes its writable layer's size
     */
    static Inspection read(String name, JsonNode container, boolean stopAsked, long diskBytes, Probe probe) {
        JsonNode s = container.path("State");
        if (s.path("Running").asBoolean()) {
            NetDev.Counters traffic = probe.traffic(s.path("Pid").asLong(0));
            long started = epoch(s.path("StartedAt").asText(""));
            return new Inspection(
                    State.RUNNING,
                    null,
                    diskBytes,
                    probe.cpuSeconds(),
                    started,
                    "running in container " + name + " (image '"
                            + container.path("Config").path("Image").asText("") + "'"
                            + ContainerLabels.gpuNote(container) + ")"
                            + ContainerLabels.diskNote(diskBytes, container)
                            // this run's output only: the engine keeps every earlier run's too
                            + (jupyterLaunch(container) ? JupyterNote.of(probe.outputSince(started), null) : ""),
                    traffic == null ? null : traffic.rxBytes(),
                    traffic == null ? null : traffic.txBytes());
        }
        if (stopAsked)
            return new Inspection(
                    State.STOPPED, null, diskBytes, 0, 0, "stopped; the container and its files are kept");
        if ("created".equals(s.path("Status").asText()))
            return new Inspection(State.STOPPED, null, diskBytes, 0, 0, "container created, not started yet");
        int code = s.path("ExitCode").asInt();
        return new Inspection(State.EXITED, code, diskBytes, 0, 0, exitMessage(s, code, probe.lastLine()));
    }

    /** Whether the container is a Jupyter launch: its init was given a token to start Jupyter with. */
    static boolean jupyterLaunch(JsonNode container) {
        for (JsonNode e : container.path("Config").path("Env")) {
            String kv = e.asText("");
            if (kv.startsWith("JUPYTER_TOKEN=") && kv.length() > "JUPYTER_TOKEN=".length()) return true;
        }
        return false;
    }

    /** "exited with code 137 (killed by SIGKILL); <engine error>; last output: <line>". */
    static String exitMessage(JsonNode state, int code, Optional<String> lastLine) {
        StringBuilder m = new StringBuilder("exited with code " + code);
        if (state.path("OOMKilled").asBoolean()) m.append(" (out of memory: the container hit its memory limit)");
        else if (code == 137) m.append(" (killed by SIGKILL)");
        else if (code == 127) m.append(" (command not found)");
        else if (code == 126) m.append(" (command not executable)");
        String error = state.path("Error").asText("");
        if (!error.isBlank()) m.append("; ").append(error.strip());
        lastLine.ifPresent(l -> m.append("; last output: ").append(l));
        return m.toString();
    }

    /** The last non-blank line of a container's output, cut at 300 characters. */
    static Optional<String> lastLine(byte[] logs) {
        List<String> lines = new String(logs, StandardCharsets.UTF_8)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList();
        if (lines.isEmpty()) return Optional.empty();
        String l = lines.getLast();
        return Optional.of(l.length() > 300 ? l.substring(0, 300) + "…" : l);
    }

    /** An RFC 3339 time as epoch seconds; 0 when empty or unreadable. */
    static long epoch(String rfc3339) {
        try {
            return rfc3339.isEmpty() ? 0 : Instant.parse(rfc3339).getEpochSecond();
        } catch (DateTimeParseException e) {
            return 0;
        }
    }
}
