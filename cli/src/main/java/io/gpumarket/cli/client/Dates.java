package io.gpumarket.cli.client;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** The date options of the billing verbs: {@code YYYY-MM-DD} (UTC midnight) or epoch seconds. */
public final class Dates {
    public static final long WEEK = 7 * 24 * 3600;

    private Dates() {}

    /** Epoch seconds of the option's value. */
    public static long epoch(String value) {
        String v = value.strip();
        if (v.matches("\\d+(\\.\\d*)?")) return (long) Double.parseDouble(v);
        try {
            return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a date: use YYYY-MM-DD or epoch seconds");
        }
    }

    /** [start, end] in epoch seconds: a week ending now by default, or a week from/to the one date given. */
    public static long[] window(String start, String end, Instant now) {
        if (start == null && end == null) return new long[] {now.getEpochSecond() - WEEK, now.getEpochSecond()};
        if (start == null) return new long[] {epoch(end) - WEEK, epoch(end)};
        if (end == null) return new long[] {epoch(start), epoch(start) + WEEK};
        return new long[] {epoch(start), epoch(end)};
    }

    public static String day(long epochSeconds) {
        return LocalDate.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC)
                .toString();
    }
}
