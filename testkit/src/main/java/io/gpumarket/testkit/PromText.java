package io.gpumarket.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One scrape of a Prometheus text endpoint, parsed (the 0.0.4 text format: {@code name{label="value",…} number}
 * lines, {@code #} comments), so tests compare numbers rather than match text.
 */
public final class PromText {
    private final Map<String, Double> samples;

    private PromText(Map<String, Double> samples) {
        this.samples = samples;
    }

    /** Scrapes {@code url} (GET, expecting 200). */
    public static PromText scrape(String url) {
        Http.Response r = Http.get(url, null);
        if (r.status() != 200) throw new AssertionError("GET " + url + " answered " + r.status() + ": " + r.body());
        return parse(r.body());
    }

    public static PromText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new TreeMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                int close = line.lastIndexOf('}');
                parseLabels(line.substring(brace + 1, close), labels);
            } else {
                name = line.substring(0, space);
            }
            samples.put(key(name, labels), number(line.substring(space + 1)));
        }
        return new PromText(samples);
    }

    /** Go's float text: Prometheus writes infinities as {@code +Inf} and {@code -Inf}. */
    private static double number(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static void parseLabels(String text, Map<String, String> into) {
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            String label = text.substring(i, eq).trim();
            StringBuilder value = new StringBuilder();
            int j = eq + 2; // past ="
            while (text.charAt(j) != '"') {
                char c = text.charAt(j);
                if (c == '\\') {
                    char n = text.charAt(++j);
                    value.append(n == 'n' ? '\n' : n);
                } else {
                    value.append(c);
                }
                j++;
            }
            into.put(label, value.toString());
            i = j + 1;
            if (i < text.length() && text.charAt(i) == ',') i++;
        }
    }

    private static String key(String name, Map<String, String> labels) {
        return name + labels;
    }

    /** The sample with exactly these labels ({@code "k1", "v1", "k2", "v2" …}), or null when absent. */
    public Double find(String name, String... labels) {
        Map<String, String> l = new TreeMap<>();
        for (int i = 0; i < labels.length; i += 2) l.put(labels[i], labels[i + 1]);
        return samples.get(key(name, l));
    }

    /** The sample with exactly these labels; 0 when absent (a counter not incremented yet, a gauge row not there). */
    public double value(String name, String... labels) {
        Double v = find(name, labels);
        return v == null ? 0 : v;
    }

    /** Whether any sample of this metric name is present. */
    public boolean has(String name) {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    /** The sum of every sample of this name, whatever its labels. */
    public double sum(String name) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().equals(name + "{}") || e.getKey().startsWith(name + "{"))
                .mapToDouble(Map.Entry::getValue)
                .sum();
    }
}
