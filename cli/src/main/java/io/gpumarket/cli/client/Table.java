package io.gpumarket.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.gpumarket.cli.query.Py;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * vastai's {@code display_table}: one header row, one row per object, each cell formatted as its column says
 * (Python format: {@code {}}, {@code {}x}, {@code {:0.1f}} …, after an optional conversion such as /1000),
 * {@code -} for a missing or null value, spaces in cells turned into {@code _}, columns padded left or right
 * and joined by two spaces.
 */
public final class Table {
    /**
     * @param format  "{}" (Python str), "{}x", or "{:0.Nf}"/"{:.Nf}" (N decimals, rounded half-even on the exact value)
     * @param convert applied to a non-null value first (numbers arrive as Double or Long, text as String), or null
     */
    public record Column(String key, String header, String format, Function<Object, Object> convert, boolean left) {
        public static Column of(String key, String header, String format) {
            return new Column(key, header, format, null, true);
        }

        public static Column of(String key, String header, String format, Function<Object, Object> convert) {
            return new Column(key, header, format, convert, true);
        }

        public Column right() {
            return new Column(key, header, format, convert, false);
        }
    }

    private Table() {}

    public static String render(List<JsonNode> rows, List<Column> columns) {
        List<List<String>> cells = new ArrayList<>();
        int[] widths = new int[columns.size()];
        List<String> header = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            header.add(columns.get(i).header());
            widths[i] = columns.get(i).header().length();
        }
        cells.add(header);
        for (JsonNode row : rows) {
            List<String> line = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                Column c = columns.get(i);
                Object value = value(row.get(c.key()));
                String s = value == null
                        ? "-"
                        : format(c.convert() == null ? value : c.convert().apply(value), c.format());
                s = s.replace(' ', '_');
                widths[i] = Math.max(widths[i], s.length());
                line.add(s);
            }
            cells.add(line);
        }
        StringBuilder out = new StringBuilder();
        for (List<String> line : cells) {
            StringBuilder l = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                if (i > 0) l.append("  ");
                String s = line.get(i);
                String pad = " ".repeat(widths[i] - s.length());
                l.append(columns.get(i).left() ? s + pad : pad + s);
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    /** A JSON value as the Python value vastai would hold. */
    public static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return null;
        if (node.isTextual()) return node.asText();
        if (node.isBoolean()) return node.asBoolean();
        if (node.isIntegralNumber()) return node.asLong();
        if (node.isNumber()) return node.asDouble();
        return node.toString();
    }

    static String format(Object value, String format) {
        if (value == null) return "-";
        if (format.equals("{}")) return str(value);
        if (format.equals("{}x")) return str(value) + "x";
        int dot = format.indexOf('.');
        int decimals = Integer.parseInt(format.substring(dot + 1, format.indexOf('f', dot)));
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) return Py.floatRepr(d);
            return new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        }
        return str(value);
    }

    /** Python's {@code str()}. */
    static String str(Object value) {
        if (value instanceof Boolean b) return b ? "True" : "False";
        if (value instanceof Double d) return Py.floatRepr(d);
        return String.valueOf(value);
    }

    public static double number(Object value) {
        if (value instanceof Number n) return n.doubleValue();
        return Double.parseDouble(String.valueOf(value));
    }
}
