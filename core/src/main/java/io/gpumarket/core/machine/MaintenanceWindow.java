package io.gpumarket.core.machine;

import io.gpumarket.core.error.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;

/**
 * A maintenance window a host announced on a machine ({@code schedule maint}): renters of the machine see it on
 * their instances until it ends or the host cancels it.
 *
 * @param category power, internet, disk, gpu, software, other, or "not provided" (the vastai CLI's default)
 * @param reason   free text, may be null
 */
public record MaintenanceWindow(long id, long machineId, Instant start, Instant end, String category, String reason) {
    public static final Set<String> CATEGORIES =
            Set.of("power", "internet", "disk", "gpu", "software", "other", "not provided");
    /** Longer windows are refused: a machine down for more than a month is better unlisted. */
    public static final Duration LONGEST = Duration.ofDays(30);

    public static final int REASON_LIMIT = 1024;

    public MaintenanceWindow {
        if (!end.isAfter(start)) throw new IllegalArgumentException("a maintenance window must end after it starts");
    }

    public double durationHours() {
        return Duration.between(start, end).toMillis() / 3_600_000.0;
    }

    /**
     * A window from {@code dnotify}'s fields: {@code sdate} as epoch seconds (the CLI) or an ISO-8601 date-time
     * (the docs), {@code duration} in hours. Refused (400 {@code invalid_args}) when a field is missing or out of
     * range, or when the window has already ended.
     */
    public static MaintenanceWindow request(
            long machineId, Object sdate, Double durationHours, String category, String reason, Instant now) {
        if (sdate == null) throw bad("'sdate' (start, epoch seconds or ISO-8601) is required");
        Instant start = startOf(sdate);
        if (durationHours == null) throw bad("'duration' (hours) is required");
        if (!(durationHours > 0 && durationHours * 3600 <= LONGEST.toSeconds())) {
            throw bad(
                    "'duration' must be more than 0 and at most " + LONGEST.toHours() + " hours, got " + durationHours);
        }
        String c = category == null ? "not provided" : category.strip().toLowerCase(Locale.ROOT);
        if (!CATEGORIES.contains(c)) {
            throw bad("'maintenance_category' must be one of power, internet, disk, gpu, software, other; got '"
                    + category + "'");
        }
        if (reason != null && reason.length() > REASON_LIMIT) {
            throw bad("'maintenance_reason' is longer than " + REASON_LIMIT + " characters");
        }
        Instant end = start.plusMillis(Math.round(durationHours * 3_600_000));
        if (!end.isAfter(now)) throw bad("the maintenance window ends (" + end + ") before now (" + now + ")");
        return new MaintenanceWindow(0, machineId, start, end, c, reason == null || reason.isBlank() ? null : reason);
    }

    private static Instant startOf(Object sdate) {
        if (sdate instanceof Number n) return epoch(n.doubleValue());
        String s = String.valueOf(sdate).strip();
        try {
            return epoch(Double.parseDouble(s));
        } catch (NumberFormatException notANumber) {
            try {
                return OffsetDateTime.parse(s).toInstant();
            } catch (DateTimeParseException e1) {
                try {
                    return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
                } catch (DateTimeParseException e2) {
                    throw bad("'sdate' must be epoch seconds or an ISO-8601 date-time, got '" + s + "'");
                }
            }
        }
    }

    private static Instant epoch(double seconds) {
        if (!(seconds > 0 && seconds < 32503680000.0))
            throw bad("'sdate' must be epoch seconds after 1970 and before 3000, got " + seconds);
        return Instant.ofEpochMilli(Math.round(seconds * 1000));
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
