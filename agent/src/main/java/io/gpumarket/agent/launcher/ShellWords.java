package io.gpumarket.agent.launcher;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits {@code args_str} into words as a POSIX shell would (whitespace, single and double quotes, backslash),
 * without expanding anything: Docker's CMD is a list of words, and the renter wrote one line.
 */
public final class ShellWords {
    private ShellWords() {}

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0;
                else w.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < line.length() && "\"\\$`".indexOf(line.charAt(i + 1)) >= 0)
                    w.append(line.charAt(++i));
                else w.append(c);
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                inWord = true;
                if (c == '\'' || c == '"') quote = c;
                else if (c == '\\' && i + 1 < line.length()) w.append(line.charAt(++i));
                else w.append(c);
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }
}
