package io.gpumarket.core.search;

import io.gpumarket.core.machine.DriverVersion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one filter value into the column's terms (see {@link Condition}). Clients send numbers as JSON
 * numbers or as text (the CLI never converts: {@code "1"}, {@code "0.99"}), booleans as JSON booleans, text,
 * or 1/0, and {@code null}; whatever cannot mean a value of the column is an error naming key and value.
 */
final class Operands {
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private Operands() {}

    static Object read(String key, QueryNames.Target target, Object v) {
        if (v == null) return null;
        if (v instanceof List<?> || v instanceof Map<?, ?>) {
            throw new QueryException(key, "value for '" + key + "' must be a single value here, got " + v);
        }
        return switch (target.valueKind()) {
            case NUMBER -> number(key, target, v);
            case BOOL -> bool(key, v);
            case STRING -> text(key, v);
            case OBJECT -> throw new QueryException(key, "offer field '" + key + "' cannot be used in a search");
        };
    }

    private static Double number(String key, QueryNames.Target target, Object v) {
        double d;
        if (v instanceof Number n) {
            d = n.doubleValue();
        } else if (v instanceof Boolean b) {
            d = b ? 1 : 0;
        } else if (v instanceof String s && target.driverVersionText() && s.contains(".")) {
            // Text with dots is a version ("535.86.05"), never a decimal: 535.86 would match nearly every driver.
            d = DriverVersion.toInt(s);
            if (d < 0) throw wrongType(key, v, "a driver version like 535.86.05 or Vast's integer like 535086005");
        } else if (v instanceof String s && DECIMAL.matcher(s.strip()).matches()) {
            d = Double.parseDouble(s.strip());
        } else {
            throw wrongType(key, v, "a number");
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) throw wrongType(key, v, "a finite number");
        return d * target.multiplier() + 0.0; // + 0.0 turns -0.0 into 0.0, so equality is plain ==
    }

    private static Double bool(String key, Object v) {
        if (v instanceof Boolean b) return b ? 1.0 : 0.0;
        if (v instanceof String s) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1":
                    return 1.0;
                case "false", "0":
                    return 0.0;
                default:
                    throw wrongType(key, v, "true or false");
            }
        }
        if (v instanceof Number n) {
            double d = n.doubleValue();
            if (d == 1 || d == 0) return d + 0.0;
        }
        throw wrongType(key, v, "true or false");
    }

    private static String text(String key, Object v) {
        if (v instanceof String s) return SearchText.normalize(s);
        if (v instanceof Integer
                || v instanceof Long
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof Number n) {
            // 1e999 arrives as Infinity, which has no decimal form
            if (!Double.isFinite(n.doubleValue())) throw wrongType(key, v, "text or a finite number");
            return SearchText.normalize(
                    new BigDecimal(n.toString()).stripTrailingZeros().toPlainString());
        }
        throw wrongType(key, v, "text");
    }

    private static QueryException wrongType(String key, Object v, String expected) {
        String shown = v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
        return new QueryException(key, "value " + shown + " for '" + key + "' is not " + expected);
    }
}
