package io.gpumarket.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.client.ClientCommand;
import io.gpumarket.cli.client.Instances;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code wait instance ID}: polls {@code GET /api/v0/instances/{id}/} until {@code actual_status} is the wanted
 * state (beyond vastai). On a terminal it shows each state change and the time elapsed on stderr; piped it is
 * quiet. Exit codes: 0 reached; 1 the state can never come (the instance {@code exited}, its host is
 * {@code offline}, it was destroyed, or it is stopped and meant to stay stopped); 124 timed out.
 */
@Command(
        name = "instance",
        mixinStandardHelpOptions = true,
        description = "Wait until an instance is running (or stopped).",
        footer = {
            "",
            "Exit codes: 0 reached, 1 can never be reached (exited, offline, destroyed), 124 timed out.",
            "Example: ID=$(…create instance… --raw | jq .new_contract) && gpumarket wait instance $ID && gpumarket ssh $ID"
        })
public final class WaitInstanceCommand extends ClientCommand {
    static final int TIMED_OUT = 124;

    @Parameters(index = "0", paramLabel = "ID")
    long id;

    @Option(names = "--state", defaultValue = "running", description = "running (default) or stopped")
    String state;

    @Option(
            names = "--timeout",
            defaultValue = "600",
            description = "give up after this many seconds (default ${DEFAULT-VALUE})")
    double timeout;

    @Option(names = "--interval", defaultValue = "1", description = "seconds between polls (default ${DEFAULT-VALUE})")
    double interval;

    @Option(
            names = {"-q", "--quiet"},
            description = "no progress, even on a terminal")
    boolean quiet;

    @Override
    protected int run() throws InterruptedException {
        if (!state.equals("running") && !state.equals("stopped")) {
            throw new IllegalArgumentException("--state must be running or stopped, got '" + state + "'");
        }
        boolean progress = env().terminal() && !quiet;
        PrintStream tty = err();
        long start = System.nanoTime();
        String last = null;
        while (true) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            Optional<JsonNode> shown = Instances.show(api(), id);
            if (shown.isEmpty()) {
                if (progress && last != null) tty.println();
                err().println("instance " + id + " does not exist (destroyed?); it will never be " + state);
                return 1;
            }
            JsonNode instance = shown.get();
            String actual = instance.path("actual_status").isNull()
                    ? "creating"
                    : instance.path("actual_status").asText("creating");
            String message = instance.path("status_msg").asText("");
            if (progress) {
                if (!actual.equals(last)) {
                    tty.print((last == null ? "" : "\r\033[K") + line(elapsed, actual, message) + "\n");
                } else {
                    tty.print("\r\033[K" + line(elapsed, actual, "") + " …");
                }
                tty.flush();
            }
            if (actual.equals(state)) {
                if (progress) tty.print("\r\033[K" + line(elapsed, actual, "reached") + "\n");
                return 0;
            }
            String never = never(actual, instance.path("intended_status").asText(""));
            if (never != null) {
                if (progress) tty.print("\r\033[K");
                err().println("instance " + id + " is " + actual + (message.isEmpty() ? "" : " (" + message + ")")
                        + ": " + never);
                return 1;
            }
            if (elapsed >= timeout) {
                if (progress) tty.print("\r\033[K");
                err().println(String.format(
                        Locale.ROOT, "timed out after %.0f s: instance %d is %s, not %s", elapsed, id, actual, state));
                return TIMED_OUT;
            }
            last = actual;
            Thread.sleep((long) (Math.min(interval, Math.max(0.05, timeout - elapsed)) * 1000));
        }
    }

    /** Why {@code actual} can never become the wanted state, or null while it still can. */
    private String never(String actual, String intended) {
        if (actual.equals("offline")) return "its host is offline";
        if (state.equals("running")) {
            if (actual.equals("exited"))
                return "it will not run again unless restarted (gpumarket reboot instance " + id + ")";
            if (actual.equals("stopped") && intended.equals("stopped"))
                return "it is meant to stay stopped (gpumarket start instance " + id + ")";
        } else if (actual.equals("exited") && intended.equals("running")) {
            return "it is not being stopped (gpumarket stop instance " + id + ")";
        }
        return null;
    }

    private String line(double elapsed, String actual, String message) {
        return String.format(
                Locale.ROOT,
                "%6.1fs  instance %d: %s%s",
                elapsed,
                id,
                actual,
                message.isEmpty() ? "" : " — " + message);
    }
}
