package io.gpumarket.core.text;

import io.gpumarket.core.error.DomainException;

/**
 * Text both stores can keep exactly as given. PostgreSQL's {@code text} refuses U+0000 (SQLite keeps it), and a
 * UTF-16 surrogate without its pair has no UTF-8 form at all (the JDBC drivers turn it into '?' or fail), so
 * either would be a 500 on one backend and silently different data on the other. The server refuses both with
 * a 400 wherever text enters a request (JSON bodies, query strings, path segments), once, before any field is
 * read; log files an agent uploads are the exception: they are bytes from a program, kept with U+FFFD instead.
 */
public final class StorableText {
    private StorableText() {}

    /** The index of the first character no store can keep, or -1 when there is none. */
    public static int firstUnstorable(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) return i;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) return i;
        }
        return -1;
    }

    /**
     * Refuses text with a character no store can keep, naming where it was and which character.
     *
     * @param where what the text is, as the client knows it ("'label'", "query parameter 'q'")
     */
    public static void require(CharSequence s, String where) {
        if (s == null) return;
        int at = firstUnstorable(s);
        if (at < 0) return;
        throw new DomainException.BadRequest(
                "invalid_args",
                where + " contains " + describe(s.charAt(at)) + " at position " + at
                        + ", which cannot be stored; remove it");
    }

    /** The text with every character no store can keep replaced by U+FFFD (log uploads: bytes, not fields). */
    public static String replaceUnstorable(String s) {
        if (firstUnstorable(s) < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else if (c == 0 || Character.isSurrogate(c)) {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String describe(char c) {
        String code = String.format("U+%04X", (int) c);
        return c == 0 ? "a NUL character (" + code + ")" : "an unpaired surrogate (" + code + ")";
    }
}
