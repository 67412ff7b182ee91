package io.gpumarket.server.console;

import java.util.Locale;
import java.util.Map;

/** Formatting of the API's view maps for the console's templates: blank for a missing value, numbers rounded. */
public final class Fmt {
    private Fmt() {}

    public static String s(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) return "";
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e12) return Long.toString(d.longValue());
        return String.valueOf(v);
    }

    /** Dollars with three decimals ($0.400). */
    public static String usd(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? usd(n.doubleValue()) : "";
    }

    /** Dollars with three decimals, the sign before the symbol (-$15.000, as the invoices' credits read). */
    public static String usd(double dollars) {
        String s = String.format(Locale.ROOT, "$%.3f", Math.abs(dollars));
        return dollars < 0 && !s.equals("$0.000") ? "-" + s : s;
    }

    /** A 0..1 fraction as a percentage with one decimal. */
    public static String pct(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? String.format(Locale.ROOT, "%.1f %%", n.doubleValue() * 100) : "";
    }

    public static String num(Map<String, Object> m, String key, int decimals) {
        return m.get(key) instanceof Number n ? String.format(Locale.ROOT, "%." + decimals + "f", n.doubleValue()) : "";
    }

    public static long id(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }
}
