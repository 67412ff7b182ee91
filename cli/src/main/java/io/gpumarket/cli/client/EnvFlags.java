package io.gpumarket.cli.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * vastai's {@code parse_env} (docs/vast-compatibility.md §f.3): the Docker-options string of {@code --env} into the create body's
 * {@code env} dict. {@code -e K=V} → {@code "K": "V"} (quotes around V dropped, {@code =} allowed in V);
 * {@code -p 8080:8080[/udp]} → {@code "-p 8080:8080": "1"}; {@code -v a:b} and {@code -n name} likewise with
 * their restricted characters; {@code -h host} → {@code "-h": "host"}; anything else is ignored. Tokens are
 * split on single spaces outside quotes, so two spaces make an empty token, as in vastai.
 */
public final class EnvFlags {
    private static final Set<String> FLAGS = Set.of("-e", "-p", "-h", "-v", "-n");
    private static final String PORT_CHARS = "0123456789:tcp/udp";
    private static final String VOLUME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:./_";
    private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";

    private EnvFlags() {}

    public static Map<String, String> parse(String options) {
        Map<String, String> result = new LinkedHashMap<>();
        if (options == null) return result;
        String prev = null;
        for (String e : smartSplit(options)) {
            if (prev == null) {
                if (FLAGS.contains(e)) prev = e;
                continue;
            }
            switch (prev) {
                case "-p" -> {
                    if (only(e, PORT_CHARS)) result.put("-p " + e, "1");
                }
                case "-e" -> {
                    String[] kv = e.split("=", -1);
                    if (kv.length >= 2) result.put(kv[0], stripQuotes(e.substring(kv[0].length() + 1)));
                }
                case "-v" -> {
                    if (only(e, VOLUME_CHARS)) result.put("-v " + e, "1");
                }
                case "-n" -> {
                    if (only(e, NAME_CHARS)) result.put("-n " + e, "1");
                }
                default -> result.put(prev, e);
            }
            prev = null;
        }
        return result;
    }

    /** Splits on single spaces outside single or double quotes, keeping the quotes. */
    static List<String> smartSplit(String s) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inDouble = false;
        boolean inSingle = false;
        for (char c : s.toCharArray()) {
            if (c == ' ' && !(inDouble || inSingle)) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                if (c == '\'') inSingle = !inSingle;
                else if (c == '"') inDouble = !inDouble;
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static boolean only(String s, String allowed) {
        for (char c : s.toCharArray()) if (allowed.indexOf(c) < 0) return false;
        return true;
    }

    private static String stripQuotes(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == '\'' || s.charAt(start) == '"')) start++;
        while (end > start && (s.charAt(end - 1) == '\'' || s.charAt(end - 1) == '"')) end--;
        return s.substring(start, end);
    }
}
