package io.gpumarket.core.instance;

import io.gpumarket.core.error.DomainException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The constrained remote command of {@code PUT /instances/command/{id}/} (vastai's {@code execute}): Vast allows
 * {@code ls}, {@code rm} and {@code du} only ("available commands: ls, rm, du"; its examples {@code ls -l -o -r},
 * {@code rm -r home/delete_this.txt}, {@code du -d2 -h}), so do we. The text is split on white space — there is no
 * shell: no quoting, globbing, pipes, redirections or variables — and each word is either one of the program's
 * safe flags or a path of plain characters. The agent runs the resulting argv inside the instance's own view, never
 * on the host.
 *
 * @param argv the program and its words, as the agent runs them
 */
public record ExecuteCommand(List<String> argv) {
    /** Vast's document: {@code command} maxLength 512. */
    public static final int MAX_LENGTH = 512;

    static final int MAX_WORDS = 64;

    /** Single-letter flags each program takes (combinable: {@code -lah}); none that follows links off the tree. */
    private static final Map<String, String> SHORT_FLAGS = Map.of(
            "ls", "lahrtSRo1dAFihnG",
            "rm", "rfRdvI",
            "du", "hsacbkmxS");

    /** Long flags each program takes. */
    private static final Map<String, Set<String>> LONG_FLAGS = Map.of(
            "ls", Set.of("--all", "--almost-all", "--human-readable", "--reverse", "--recursive", "--size"),
            "rm", Set.of("--recursive", "--force", "--dir", "--verbose"),
            "du", Set.of("--human-readable", "--summarize", "--all", "--total", "--bytes", "--one-file-system"));

    /** du's depth: {@code -d N}, {@code -dN}, {@code --max-depth=N}. */
    private static final Pattern DU_DEPTH = Pattern.compile("(-d|--max-depth=)(\\d{1,3})");

    /** Plain path characters: no shell or option meaning, no control characters. */
    private static final Pattern PATH = Pattern.compile("[A-Za-z0-9_./@+=:,~%-]+");

    public ExecuteCommand {
        argv = List.copyOf(argv);
    }

    public String program() {
        return argv.get(0);
    }

    /** Judges a request's {@code command} text; a refusal is Vast's 400 {@code invalid_args}. */
    public static ExecuteCommand parse(String text) {
        if (text == null || text.isBlank()) throw invalid("'command' is required, e.g. \"ls -l\"");
        if (text.length() > MAX_LENGTH)
            throw invalid("'command' is " + text.length() + " characters long, at most " + MAX_LENGTH);
        String[] words = text.strip().split("\\s+");
        if (words.length > MAX_WORDS) throw invalid("'command' has " + words.length + " words, at most " + MAX_WORDS);
        String program = words[0];
        if (!SHORT_FLAGS.containsKey(program)) {
            throw invalid("Invalid command given: only ls, rm and du may be executed, got '" + program + "'");
        }
        List<String> argv = new ArrayList<>();
        argv.add(program);
        boolean paths = false; // after "--" every word is a path
        int pathCount = 0;
        for (int i = 1; i < words.length; i++) {
            String w = words[i];
            if (!paths && w.equals("--")) {
                paths = true;
                argv.add(w);
                continue;
            }
            if (!paths && w.startsWith("-")) {
                if (program.equals("du")
                        && w.equals("-d")
                        && i + 1 < words.length
                        && words[i + 1].matches("\\d{1,3}")) {
                    argv.add(w);
                    argv.add(words[++i]);
                    continue;
                }
                if (program.equals("du") && DU_DEPTH.matcher(w).matches()) {
                    argv.add(w);
                    continue;
                }
                if (w.startsWith("--")) {
                    if (!LONG_FLAGS.get(program).contains(w)) throw invalid(program + " does not take " + w + " here");
                } else {
                    String allowed = SHORT_FLAGS.get(program);
                    for (char c : w.substring(1).toCharArray()) {
                        if (allowed.indexOf(c) < 0)
                            throw invalid(program + " does not take -" + c + " here (allowed: -"
                                    + String.join(" -", allowed.split("")) + ")");
                    }
                    if (w.length() == 1) throw invalid("a lone '-' is not a path");
                }
                argv.add(w);
                continue;
            }
            if (!PATH.matcher(w).matches())
                throw invalid("'" + w + "' is not a plain path (letters, digits and _ . / @ + = : , ~ % - only)");
            argv.add(w);
            pathCount++;
        }
        if (program.equals("rm") && pathCount == 0) throw invalid("rm needs a path to remove");
        return new ExecuteCommand(argv);
    }

    private static DomainException invalid(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
