package io.gpumarket.app.command;

import picocli.CommandLine.Option;

/**
 * {@code --log-format text|json} of {@code gpumarket server} and {@code agent}: plain lines for a person at a
 * terminal (the default), or one JSON object per line (logback's own {@code JsonEncoder}, {@code logback-json.xml})
 * with the request id, route, caller's user id, instance and machine ids as fields, for a log store to index.
 *
 * <p>Logback reads its configuration once, when the first logger is made; {@link #apply} runs first thing in the
 * command, before anything in the process logs (as {@code DevLog} does for {@code dev}).
 */
public final class LogOptions {
    /** How log lines are written. */
    public enum Format {
        text,
        json
    }

    @Option(
            names = "--log-format",
            defaultValue = "text",
            paramLabel = "text|json",
            description = "log lines on stderr as plain text (default) or one JSON object per line with request id, "
                    + "route, user id, instance and machine ids (docs/operations.md \"Logs\")")
    Format format = Format.text;

    public void apply() {
        if (format == Format.json) System.setProperty("logback.configurationFile", "logback-json.xml");
    }
}
