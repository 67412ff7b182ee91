package io.gpumarket.app.command;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 250ms}, {@code 5s}, {@code 2m}, {@code 48h}, {@code 3d}, a plain number of seconds, or ISO-8601 {@code PT5S}. */
public final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)?");

    @Override
    public Duration convert(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (java.time.format.DateTimeParseException e) {
                throw new TypeConversionException("'" + text + "' is not a duration (e.g. 5s, 2m, 48h, PT5S)");
            }
        }
        Matcher m = SHORT.matcher(t);
        if (!m.matches())
            throw new TypeConversionException("'" + text + "' is not a duration (e.g. 5s, 2m, 48h, PT5S)");
        double n = Double.parseDouble(m.group(1));
        long millisPerUnit = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            case "d" -> 86_400_000;
            default -> 1_000;
        };
        double millis = n * millisPerUnit;
        if (millis > Long.MAX_VALUE / 2) throw new TypeConversionException("'" + text + "' is too long a duration");
        return Duration.ofMillis(Math.round(millis));
    }
}
