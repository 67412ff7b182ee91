package io.gpumarket.core.instance;

import io.gpumarket.core.error.DomainException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code env} of a create request, in either form clients send (docs/vast-compatibility.md §f.3, §i.10): the dict the vastai CLI
 * builds ({@code {"TZ": "UTC", "-p 8080:8080": "1", "-h": "box"}}) or the Docker-flag string templates store
 * ({@code "-e TZ=UTC -p 8080:8080 -h box"}), read the way the CLI's {@code parse_env} reads it. Limits from the
 * create endpoint's input validation: each key and value at most 256 characters, all of them together at most
 * 32768.
 */
public final class Env {
    public static final int MAX_ENTRY = 256;
    public static final int MAX_TOTAL = 32_768;
    /** {@code [ip:][hostPort:]containerPort[/tcp|udp]}: only the container side matters, host ports are allocated. */
    private static final Pattern PORT = Pattern.compile("^(?:[0-9.]+:)?(?:\\d{1,5}:)?(\\d{1,5})(?:/(tcp|udp))?$");

    private Env() {}

    /** The request's env as pairs, in the order given; null is no env. */
    public static List<EnvPair> parse(Object env) {
        List<EnvPair> pairs = switch (env) {
            case null -> List.of();
            case Map<?, ?> dict -> fromDict(dict);
            case String flags -> fromFlags(flags);
            default ->
                throw bad("env must be an object such as {\"TZ\": \"UTC\", \"-p 8080:8080\": \"1\"} or a "
                        + "Docker option string such as \"-e TZ=UTC -p 8080:8080\", got " + env);
        };
        int total = 0;
        for (EnvPair p : pairs) {
            if (p.key().isEmpty() || p.key().indexOf('\0') >= 0 || p.key().indexOf('\n') >= 0) {
                throw bad("env key '" + p.key() + "' is not a valid name");
            }
            if (p.key().length() > MAX_ENTRY || p.value().length() > MAX_ENTRY) {
                throw bad("env entry '" + abbreviate(p.key()) + "' is longer than " + MAX_ENTRY + " characters");
            }
            total += p.key().length() + p.value().length();
        }
        if (total > MAX_TOTAL) throw bad("env is " + total + " characters in all; the limit is " + MAX_TOTAL);
        for (EnvPair p : pairs) if (p.isPort()) containerPort(p.key());
        return pairs;
    }

    /**
     * The container ports the {@code -p} entries publish ({@code "8080/tcp"}), each once, in order. Each gets a
     * host port from the machine's direct range when the instance is created.
     */
    public static List<String> publishedPorts(List<EnvPair> env) {
        Set<String> ports = new LinkedHashSet<>();
        for (EnvPair p : env) if (p.isPort()) ports.add(containerPort(p.key()));
        return List.copyOf(ports);
    }

    /** "-p 8081:8081/udp" → "8081/udp"; "-p 8080" → "8080/tcp". */
    static String containerPort(String key) {
        String spec = key.substring(3).strip();
        Matcher m = PORT.matcher(spec);
        int port = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        if (port < 1 || port > 65535) {
            throw bad("env '" + key + "': expected -p HOST:CONTAINER[/tcp|udp] with ports 1-65535");
        }
        return port + "/" + (m.group(2) == null ? "tcp" : m.group(2));
    }

    private static List<EnvPair> fromDict(Map<?, ?> dict) {
        List<EnvPair> pairs = new ArrayList<>(dict.size());
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> || v instanceof List<?>) {
                throw bad("env value of '" + e.getKey() + "' must be a string, got " + v);
            }
            pairs.add(new EnvPair(String.valueOf(e.getKey()), v == null ? "" : String.valueOf(v)));
        }
        return pairs;
    }

    /** The CLI's parse_env: -e K=V, -p spec, -v a:b, -n name, -h host; other words are ignored, as the CLI does. */
    private static List<EnvPair> fromFlags(String flags) {
        List<String> words = words(flags);
        List<EnvPair> pairs = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String next = i + 1 < words.size() ? words.get(i + 1) : null;
            switch (w) {
                case "-e" -> {
                    if (next == null) continue;
                    int eq = next.indexOf('=');
                    if (eq > 0) pairs.add(new EnvPair(next.substring(0, eq), next.substring(eq + 1)));
                    i++;
                }
                case "-p", "-v", "-n" -> {
                    if (next == null) continue;
                    pairs.add(new EnvPair(w + " " + next, "1"));
                    i++;
                }
                case "-h" -> {
                    if (next == null) continue;
                    pairs.add(new EnvPair("-h", next));
                    i++;
                }
                default -> {}
            }
        }
        return pairs;
    }

    /** Splits on blanks, keeping quoted parts ('…' or "…") together without their quotes. */
    private static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        boolean inWord = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) words.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(w.toString());
        return words;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
