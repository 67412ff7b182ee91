package io.gpumarket.agent.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * What runtype {@code args} runs, as Vast and vastai define it: the image's container "as is", with
 * {@code onstart} as the entrypoint (vastai's {@code --entrypoint} is sent as {@code onstart}) and {@code args}
 * appended as its arguments; without an {@code onstart}, the image's own entrypoint takes the args. So dstack's
 * {@code onstart: "/bin/sh", args: ["-c", script]} runs {@code /bin/sh -c script}, and nothing runs {@code onstart}
 * as a script first.
 *
 * <p>An {@code onstart} of one word is the program itself (Docker's {@code --entrypoint}); one with spaces is
 * split into words as a shell would ({@code "python -u"}), never run through a shell.
 */
public final class ArgsCommand {
    private ArgsCommand() {}

    /** Whether the spec replaces the image's entrypoint (runtype args with an onstart). */
    public static boolean replacesEntrypoint(InstanceSpec spec) {
        return isArgs(spec) && spec.onstart() != null && !spec.onstart().isBlank();
    }

    /** The entrypoint words from {@code onstart}; empty when the image's own entrypoint stays. */
    public static List<String> entrypoint(InstanceSpec spec) {
        if (!replacesEntrypoint(spec)) return List.of();
        String onstart = spec.onstart().strip();
        return onstart.chars().anyMatch(Character::isWhitespace) ? ShellWords.split(onstart) : List.of(onstart);
    }

    /** {@code args}, else {@code args_str} split as a shell splits words; empty when neither is given. */
    public static List<String> arguments(InstanceSpec spec) {
        if (!spec.args().isEmpty()) return spec.args();
        if (spec.argsStr() != null && !spec.argsStr().isBlank()) return ShellWords.split(spec.argsStr());
        return List.of();
    }

    /** The entrypoint followed by the arguments (the whole command when the entrypoint is replaced). */
    public static List<String> command(InstanceSpec spec) {
        List<String> all = new ArrayList<>(entrypoint(spec));
        all.addAll(arguments(spec));
        return all;
    }

    public static boolean isArgs(InstanceSpec spec) {
        return "args".equals(spec.runtype());
    }
}
