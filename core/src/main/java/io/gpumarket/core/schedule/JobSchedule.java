package io.gpumarket.core.schedule;

import io.gpumarket.core.error.DomainException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * When a scheduled job runs (vastai's {@code --schedule HOURLY|DAILY|WEEKLY --day D --hour H}, all in UTC): hourly at
 * its minute, daily at its hour, weekly on its day (0 = Sunday … 6) at its hour, from its start time to its end time.
 * The minute is the start time's (Vast shows it as {@code min_of_the_hour}; vastai never sends one). Pure: the server's
 * loop asks {@link #next} after each run.
 *
 * @param dayOfWeek null unless WEEKLY
 * @param hourOfDay null when HOURLY
 */
public record JobSchedule(
        Frequency frequency, Integer dayOfWeek, Integer hourOfDay, int minOfHour, Instant start, Instant end) {

    public enum Frequency {
        HOURLY,
        DAILY,
        WEEKLY
    }

    /** The longest schedule kept: Vast ties a job to an instance, whose contract this outlives by far already. */
    static final Duration LONGEST = Duration.ofDays(3660);

    /**
     * vastai's rules (its {@code validate_frequency_values}): HOURLY names no day or hour, DAILY an hour only, WEEKLY
     * both; the start before the end. Times are epoch seconds, as vastai sends them.
     */
    public static JobSchedule parse(
            String frequency, Integer day, Integer hour, Double startSeconds, Double endSeconds) {
        Frequency f;
        try {
            f = Frequency.valueOf(frequency == null ? "" : frequency.strip());
        } catch (IllegalArgumentException e) {
            throw bad("'frequency' must be HOURLY, DAILY or WEEKLY, got '" + frequency + "'");
        }
        switch (f) {
            case HOURLY -> {
                if (day != null || hour != null) throw bad("For HOURLY jobs, day and hour must both be \"*\" (null).");
            }
            case DAILY -> {
                if (day != null || hour == null || hour < 0 || hour > 23)
                    throw bad("For DAILY jobs, day must be \"*\" (null) and hour must have a value between 0-23.");
            }
            case WEEKLY -> {
                if (day == null || day < 0 || day > 6 || hour == null || hour < 0 || hour > 23)
                    throw bad("For WEEKLY jobs, day must have a value between 0-6 and hour must have a value between"
                            + " 0-23.");
            }
        }
        if (startSeconds == null || endSeconds == null) throw bad("'start_time' and 'end_time' are required");
        Instant start = instant(startSeconds, "start_time");
        Instant end = instant(endSeconds, "end_time");
        if (!start.isBefore(end)) throw bad("start_time must be less than end_time.");
        if (Duration.between(start, end).compareTo(LONGEST) > 0)
            throw bad("a schedule may span at most " + LONGEST.toDays() + " days");
        int minute = start.atZone(ZoneOffset.UTC).getMinute();
        return new JobSchedule(f, day, hour, minute, start, end);
    }

    private static Instant instant(double seconds, String field) {
        // 1970 … 9999, as every other date the API takes (BillingQuery)
        if (!Double.isFinite(seconds) || seconds < 0 || seconds > 253_402_300_799d)
            throw bad("'" + field + "' must be a unix time in seconds between 1970 and 9999");
        return Instant.ofEpochMilli((long) Math.floor(seconds * 1000));
    }

    /** The first run at or after {@code from} (and not before the start); null when none is left before the end. */
    public Instant next(Instant from) {
        Instant after = from.isBefore(start) ? start : from;
        ZonedDateTime t =
                after.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS).withMinute(minOfHour);
        if (t.toInstant().isBefore(after)) t = t.plusHours(1);
        // at most a week of hours to the one this frequency names
        for (int i = 0; i < 24 * 7 + 1; i++) {
            if (matches(t)) return t.toInstant().isAfter(end) ? null : t.toInstant();
            t = t.plusHours(1);
        }
        throw new IllegalStateException("no hour of a week matches " + this);
    }

    private boolean matches(ZonedDateTime t) {
        return switch (frequency) {
            case HOURLY -> true;
            case DAILY -> t.getHour() == hourOfDay;
            case WEEKLY -> t.getHour() == hourOfDay && t.getDayOfWeek().getValue() % 7 == dayOfWeek;
        };
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
