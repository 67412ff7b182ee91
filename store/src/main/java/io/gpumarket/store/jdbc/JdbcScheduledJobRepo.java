package io.gpumarket.store.jdbc;

import io.gpumarket.store.ScheduledJobRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/** {@link ScheduledJobRepo} on {@code scheduled_jobs} (V49); times are epoch ms. */
final class JdbcScheduledJobRepo implements ScheduledJobRepo {
    private static final String COLUMNS = "id, user_id, instance_id, api_endpoint, request_method, request_body,"
            + " frequency, day_of_the_week, hour_of_the_day, min_of_the_hour, start_time, end_time, next_run_at,"
            + " last_run_at, last_result, created_at";
    private static final RowMapper<Job> JOB = (rs, ctx) -> new Job(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getObject("instance_id") == null ? null : rs.getLong("instance_id"),
            rs.getString("api_endpoint"),
            rs.getString("request_method"),
            rs.getString("request_body"),
            rs.getString("frequency"),
            rs.getObject("day_of_the_week") == null ? null : rs.getInt("day_of_the_week"),
            rs.getObject("hour_of_the_day") == null ? null : rs.getInt("hour_of_the_day"),
            rs.getInt("min_of_the_hour"),
            Columns.instant(rs, "start_time"),
            Columns.instant(rs, "end_time"),
            Columns.nullableInstant(rs, "next_run_at"),
            Columns.nullableInstant(rs, "last_run_at"),
            rs.getString("last_result"),
            Columns.instant(rs, "created_at"));

    private final Session session;

    JdbcScheduledJobRepo(Session session) {
        this.session = session;
    }

    @Override
    public Job create(Job j) {
        return session.write(h -> bindJob(h.createQuery("""
                                INSERT INTO scheduled_jobs (user_id, instance_id, api_endpoint, request_method,
                                    request_body, frequency, day_of_the_week, hour_of_the_day, min_of_the_hour,
                                    start_time, end_time, next_run_at, created_at)
                                VALUES (:user, :instance, :endpoint, :method, :body, :frequency, :day, :hour, :minute,
                                    :start, :end, :next, :created)""" + " RETURNING " + COLUMNS), j)
                .bind("created", j.createdAt().toEpochMilli())
                .map(JOB)
                .one());
    }

    @Override
    public List<Job> ofUser(long userId) {
        return session.read(
                h -> h.createQuery("SELECT " + COLUMNS + " FROM scheduled_jobs WHERE user_id = :user" + " ORDER BY id")
                        .bind("user", userId)
                        .map(JOB)
                        .list());
    }

    @Override
    public Optional<Job> find(long id) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM scheduled_jobs WHERE id = :id")
                .bind("id", id)
                .map(JOB)
                .findOne());
    }

    @Override
    public boolean update(Job j) {
        return session.write(
                h -> bindJob(h.createUpdate("""
                                        UPDATE scheduled_jobs SET instance_id = :instance, api_endpoint = :endpoint,
                                            request_method = :method, request_body = :body, frequency = :frequency,
                                            day_of_the_week = :day, hour_of_the_day = :hour, min_of_the_hour = :minute,
                                            start_time = :start, end_time = :end, next_run_at = :next
                                        WHERE id = :id AND user_id = :user"""), j).bind("id", j.id()).execute() == 1);
    }

    private static <S extends SqlStatement<S>> S bindJob(S s, Job j) {
        return s.bind("user", j.userId())
                .bind("instance", j.instanceId())
                .bind("endpoint", j.apiEndpoint())
                .bind("method", j.requestMethod())
                .bind("body", j.requestBody())
                .bind("frequency", j.frequency())
                .bind("day", j.dayOfWeek())
                .bind("hour", j.hourOfDay())
                .bind("minute", j.minOfHour())
                .bind("start", j.startTime().toEpochMilli())
                .bind("end", j.endTime().toEpochMilli())
                .bind("next", Columns.millis(j.nextRunAt()));
    }

    @Override
    public boolean delete(long id, long userId) {
        return session.write(h -> h.createUpdate("DELETE FROM scheduled_jobs WHERE id = :id AND user_id = :user")
                        .bind("id", id)
                        .bind("user", userId)
                        .execute()
                == 1);
    }

    @Override
    public List<Job> due(Instant now, int limit) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM scheduled_jobs WHERE next_run_at IS NOT"
                        + " NULL AND next_run_at <= :now ORDER BY next_run_at, id LIMIT :limit")
                .bind("now", now.toEpochMilli())
                .bind("limit", limit)
                .map(JOB)
                .list());
    }

    @Override
    public boolean claim(long id, Instant expected, Instant next) {
        return session.write(h -> h.createUpdate(
                                "UPDATE scheduled_jobs SET next_run_at = :next WHERE id = :id AND next_run_at = :expected")
                        .bind("next", Columns.millis(next))
                        .bind("id", id)
                        .bind("expected", expected.toEpochMilli())
                        .execute()
                == 1);
    }

    @Override
    public void ran(long id, Instant at, String result) {
        session.write(h -> h.createUpdate(
                        "UPDATE scheduled_jobs SET last_run_at = :at, last_result = :result" + " WHERE id = :id")
                .bind("at", at.toEpochMilli())
                .bind("result", result)
                .bind("id", id)
                .execute());
    }
}
