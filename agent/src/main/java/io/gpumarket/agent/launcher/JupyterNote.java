package io.gpumarket.agent.launcher;

import java.util.List;

/**
 * What an instance's init said of Jupyter (a Jupyter launch starts the image's {@code jupyter} before onstart, or says
 * the image has none), as the end of its {@code status_msg}: both launchers print the same two lines, and both read
 * them back here, so a renter of either sees the same words.
 */
public final class JupyterNote {
    /** What the init prints when a Jupyter launch finds no {@code jupyter} to start. */
    public static final String MISSING = "] jupyter: not started: the image has no jupyter command";
    /** What the init prints when it starts Jupyter. */
    public static final String STARTED = "] jupyter: starting jupyter ";

    private JupyterNote() {}

    /**
     * The init's last word on Jupyter in these output lines, newest last: started on port 8080, or not started because
     * there is no {@code jupyter} inside; "" when neither was said since the line holding {@code runStart} (null: no
     * such boundary in this output).
     */
    public static String of(List<String> lines, String runStart) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (line.contains(MISSING)) {
                return "; Jupyter not started: the image has no jupyter command (use an image with Jupyter, or "
                        + "install it, e.g. pip install jupyterlab, and restart the instance)";
            }
            if (line.contains(STARTED)) return "; Jupyter on port 8080 (token: jupyter_token)";
            if (runStart != null && line.contains(runStart)) return "";
        }
        return "";
    }
}
