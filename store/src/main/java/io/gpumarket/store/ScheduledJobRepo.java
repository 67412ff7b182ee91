package io.gpumarket.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Scheduled jobs ({@code /api/v0/commands/schedule_job/}): an account's API call replayed by the server at times its
 * frequency names, from its start to its end time. {@code nextRunAt} null: nothing left to run.
 */
public interface ScheduledJobRepo {
    /**
     * One job.
     *
     * @param id          0 before it is stored
     * @param requestBody the call's JSON body as text
     * @param dayOfWeek   0 (Sunday) … 6 for WEEKLY, else null
     * @param hourOfDay   0 … 23 for DAILY and WEEKLY, else null
     */
    record Job(
            long id,
            long userId,
            Long instanceId,
            String apiEndpoint,
            String requestMethod,
            String requestBody,
            String frequency,
            Integer dayOfWeek,
            Integer hourOfDay,
            int minOfHour,
            Instant startTime,
            Instant endTime,
            Instant nextRunAt,
            Instant lastRunAt,
            String lastResult,
            Instant createdAt) {}

    Job create(Job job);

    /** The account's jobs, by id. */
    List<Job> ofUser(long userId);

    Optional<Job> find(long id);

    /** Replaces the schedule and call of the user's job {@code job.id()}; false when the user has none by that id. */
    boolean update(Job job);

    boolean delete(long id, long userId);

    /** Jobs whose next run is at or before {@code now}, earliest first, at most {@code limit}. */
    List<Job> due(Instant now, int limit);

    /**
     * Claims a due run: moves the job's next run from {@code expected} to {@code next} (null: none left), so that
     * one runner alone runs it (a second server sharing the database finds it moved). False when it had moved.
     */
    boolean claim(long id, Instant expected, Instant next);

    /** Records how the run claimed at {@code at} went. */
    void ran(long id, Instant at, String result);
}
