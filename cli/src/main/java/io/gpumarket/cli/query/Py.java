package io.gpumarket.cli.query;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The few Python behaviours the vastai grammar leaks into its messages and bodies: {@code repr()} of strings,
 * tuples and lists, {@code str.strip(chars)}, {@code float()} parsing and the shortest float {@code repr}.
 */
public final class Py {
    private static final Pattern FLOAT = Pattern.compile(
            "\\s*[+-]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?|inf(?:inity)?|nan)\\s*",
            Pattern.CASE_INSENSITIVE);

    private Py() {}

    /** Python's {@code repr()} of a str, list, dict, int, float, bool or None, as vastai's messages show them. */
    public static String repr(Object value) {
        if (value == null) return "None";
        if (value instanceof String s) return reprString(s);
        if (value instanceof Boolean b) return b ? "True" : "False";
        if (value instanceof Double d) return floatRepr(d);
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(first ? "" : ", ")
                        .append(repr(e.getKey()))
                        .append(": ")
                        .append(repr(e.getValue()));
                first = false;
            }
            return out.append('}').toString();
        }
        if (value instanceof List<?> list) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) out.append(i == 0 ? "" : ", ").append(repr(list.get(i)));
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }

    /** {@code repr((a, b, c))}. */
    public static String tuple(Object... items) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < items.length; i++) out.append(i == 0 ? "" : ", ").append(repr(items[i]));
        return out.append(items.length == 1 ? ",)" : ")").toString();
    }

    private static String reprString(String s) {
        char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder out = new StringBuilder().append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') out.append('\\').append(c);
            else if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c == '\t') out.append("\\t");
            else if (c < ' ' || c == 0x7f) out.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            else out.append(c);
        }
        return out.append(quote).toString();
    }

    /** {@code s.strip(chars)}: removes any of {@code chars} from both ends. */
    public static String strip(String s, String chars) {
        int start = 0;
        int end = s.length();
        while (start < end && chars.indexOf(s.charAt(start)) >= 0) start++;
        while (end > start && chars.indexOf(s.charAt(end - 1)) >= 0) end--;
        return s.substring(start, end);
    }

    /** {@code float(s)}, refusing what Python refuses with Python's message. */
    public static double parseFloat(String s) {
        if (!FLOAT.matcher(s).matches()) throw new QueryException("could not convert string to float: " + repr(s));
        String t = s.strip().toLowerCase(Locale.ROOT);
        boolean negative = t.startsWith("-");
        String body = t.startsWith("-") || t.startsWith("+") ? t.substring(1) : t;
        if (body.startsWith("inf")) return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        if (body.equals("nan")) return Double.NaN;
        return Double.parseDouble(t);
    }

    /**
     * Python's {@code repr(float)}: the shortest digits that read back to the same double, written positionally
     * when the exponent is in [-4, 16), else as {@code 1e+16}; integral values keep a {@code .0}.
     */
    public static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        String sign = d < 0 ? "-" : "";
        // Double.toString gives the shortest uniquely-distinguishing digits (JDK 19+), as Python's repr does.
        BigDecimal exact = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = exact.unscaledValue().toString();
        int exponent = digits.length() - exact.scale() - 1;
        if (exponent >= -4 && exponent < 16) {
            if (exponent < 0) return sign + "0." + "0".repeat(-exponent - 1) + digits;
            if (digits.length() <= exponent + 1)
                return sign + digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
            return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }
}
