package io.gpumarket.cli.client;

import io.gpumarket.cli.query.Py;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Request bodies written exactly as the vastai CLI writes them ({@code requests(json=…)}, i.e. Python's
 * {@code json.dumps} defaults): {@code ", "} and {@code ": "} separators, ASCII only, floats in Python's
 * shortest {@code repr}. So a body this CLI sends is byte for byte the one vastai sends for the same command.
 * Takes maps (in their iteration order), lists, strings, numbers, booleans and null.
 */
public final class PyJson {
    private PyJson() {}

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b ? "true" : "false");
            case Double d -> number(d, out);
            case Float f -> number(f.doubleValue(), out);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Short s -> out.append(s);
            case BigInteger b -> out.append(b);
            case Map<?, ?> map -> {
                out.append('{');
                Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
                while (entries.hasNext()) {
                    Map.Entry<?, ?> e = entries.next();
                    string(String.valueOf(e.getKey()), out);
                    out.append(": ");
                    write(e.getValue(), out);
                    if (entries.hasNext()) out.append(", ");
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) out.append(", ");
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default ->
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getSimpleName() + " as JSON");
        }
    }

    private static void number(double d, StringBuilder out) {
        // requests sends with allow_nan=False
        if (Double.isNaN(d) || Double.isInfinite(d))
            throw new IllegalArgumentException("Out of range float values are not JSON compliant");
        out.append(Py.floatRepr(d));
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
