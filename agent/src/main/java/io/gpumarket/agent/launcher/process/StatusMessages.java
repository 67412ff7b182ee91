package io.gpumarket.agent.launcher.process;

import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** The {@code status_msg} texts of process-launched instances: plain words a renter can act on. */
final class StatusMessages {
    private StatusMessages() {}

    static String running(Properties meta, InstanceFiles f) {
        String message = "running as a sandboxed process (process launcher: image '" + meta.getProperty("image", "")
                + "' recorded, not pulled)";
        if ("jupyter".equals(meta.getProperty("runtype"))) message += jupyterNote(f.logTail(50));
        return message;
    }

    /** What the instance's init said of Jupyter on this run (JupyterNote; a run begins at its "init: up" line). */
    static String jupyterNote(List<String> tail) {
        return io.gpumarket.agent.launcher.JupyterNote.of(tail, InstanceScripts.INIT_UP);
    }

    static String exited(int code, InstanceFiles f) {
        String why = switch (code) {
            case 0 -> "";
            case 126 -> " (command not executable)";
            case 127 -> " (command not found)";
            case 137 -> " (killed by SIGKILL; out of memory?)";
            default -> code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : "";
        };
        return "exited with code " + code + why
                + lastOutput(f).map(l -> "; last output: " + l).orElse("");
    }

    /** The renter's last line of output (the launcher's own "[gpumarket …]" lines skipped), shortened. */
    static Optional<String> lastOutput(InstanceFiles f) {
        List<String> tail = f.logTail(20);
        for (int i = tail.size() - 1; i >= 0; i--) {
            String line = tail.get(i).strip();
            if (line.isEmpty() || line.startsWith("[gpumarket")) continue;
            return Optional.of(line.length() > 300 ? line.substring(0, 300) + "…" : line);
        }
        return Optional.empty();
    }

    /** "; disk use … exceeds …" when the instance's files outgrew the rented disk (decimal GB, as rented); else "". */
    static String diskNote(long bytes, Properties meta) {
        double rentedGb = rentedDiskGb(meta);
        if (rentedGb <= 0 || bytes <= rentedGb * 1e9) return "";
        return String.format("; disk use %.2f GB exceeds the rented %.2f GB", bytes / 1e9, rentedGb);
    }

    /** The rented disk of the last start, GB; 0 when unknown. */
    static double rentedDiskGb(Properties meta) {
        try {
            return Double.parseDouble(meta.getProperty("diskGb", "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
