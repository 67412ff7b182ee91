package io.gpumarket.store.jdbc;

import io.gpumarket.store.NotificationRepo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link NotificationRepo} on {@code events}, {@code notification_prefs}, {@code webhooks},
 * {@code webhook_event_types} and {@code webhook_deliveries} ({@code V51__notifications.sql}).
 */
final class JdbcNotificationRepo implements NotificationRepo {
    private static final String EVENT_COLUMNS =
            "e.id, e.user_id, e.type, e.subject, e.message, e.instance_id, e.machine_id, e.data, e.created_at";
    private static final String WEBHOOK_COLUMNS = "w.id AS w_id, w.user_id AS w_user_id, w.name, w.url, w.secret,"
            + " w.previous_secret, w.previous_until, w.created_at AS w_created_at, w.updated_at AS w_updated_at";
    private static final String DELIVERY_COLUMNS = "d.id AS d_id, d.webhook_id, d.event_id, d.status, d.attempts,"
            + " d.next_attempt_at, d.last_attempt_at, d.last_status, d.last_error, d.created_at AS d_created_at,"
            + " d.delivered_at";
    private static final RowMapper<Event> EVENT = (rs, ctx) -> event(rs);
    private static final RowMapper<Delivery> DELIVERY = (rs, ctx) -> delivery(rs);

    private final Session session;

    JdbcNotificationRepo(Session session) {
        this.session = session;
    }

    @Override
    public void record(NewEvent e, Instant now) {
        session.write(h -> {
            // PostgreSQL: the insert is the transaction's last step, under the events lock (BeforeCommit says why)
            if (BeforeCommit.openOn(h)) BeforeCommit.add(last -> insert(last, e, now));
            else insert(h, e, now);
            return null;
        });
    }

    /** Event writers commit in id order (V51's comment), so a reader's cursor never skips a late commit. */
    private void insert(Handle h, NewEvent e, Instant now) {
        session.dialect().lockEvents(h);
        long id = h.createQuery("INSERT INTO events (user_id, type, subject, message, instance_id, machine_id,"
                        + " data, created_at) VALUES (:user, :type, :subject, :message, :instance, :machine,"
                        + " :data, :now) RETURNING id")
                .bind("user", e.userId())
                .bind("type", e.type())
                .bind("subject", e.subject())
                .bind("message", e.message())
                .bind("instance", e.instanceId())
                .bind("machine", e.machineId())
                .bind("data", e.data())
                .bind("now", now.toEpochMilli())
                .mapTo(Long.class)
                .one();
        h.createUpdate("INSERT INTO webhook_deliveries (webhook_id, event_id, status, attempts, next_attempt_at,"
                        + " created_at) SELECT w.id, :event, 'pending', 0, :now, :now FROM webhooks w"
                        + " JOIN webhook_event_types t ON t.webhook_id = w.id AND t.event_type = :type"
                        + " WHERE w.user_id = :user AND EXISTS (SELECT 1 FROM notification_prefs p"
                        + " WHERE p.user_id = :user AND p.event_type = :type AND p.channel = 'webhooks'"
                        + " AND p.enabled)")
                .bind("event", id)
                .bind("now", now.toEpochMilli())
                .bind("type", e.type())
                .bind("user", e.userId())
                .execute();
    }

    @Override
    public List<Event> events(long userId, long afterId, int limit) {
        return session.read(h -> h.createQuery("SELECT " + EVENT_COLUMNS
                        + " FROM events e WHERE e.user_id = :user AND e.id > :after ORDER BY e.id LIMIT :limit")
                .bind("user", userId)
                .bind("after", afterId)
                .bind("limit", limit)
                .map(EVENT)
                .list());
    }

    @Override
    public Map<String, Map<String, Boolean>> prefs(long userId) {
        Map<String, Map<String, Boolean>> out = new LinkedHashMap<>();
        session.read(h -> h.createQuery("SELECT event_type, channel, enabled FROM notification_prefs"
                        + " WHERE user_id = :user ORDER BY event_type, channel")
                .bind("user", userId)
                .map((rs, ctx) -> {
                    out.computeIfAbsent(rs.getString("event_type"), t -> new LinkedHashMap<>())
                            .put(rs.getString("channel"), rs.getBoolean("enabled"));
                    return 0;
                })
                .list());
        return out;
    }

    @Override
    public void setPrefs(long userId, Map<String, Map<String, Boolean>> prefs) {
        if (prefs.isEmpty()) return;
        session.write(h -> {
            for (var type : prefs.entrySet())
                for (var channel : type.getValue().entrySet()) {
                    h.createUpdate("DELETE FROM notification_prefs WHERE user_id = :user AND event_type = :type"
                                    + " AND channel = :channel")
                            .bind("user", userId)
                            .bind("type", type.getKey())
                            .bind("channel", channel.getKey())
                            .execute();
                    h.createUpdate("INSERT INTO notification_prefs (user_id, event_type, channel, enabled)"
                                    + " VALUES (:user, :type, :channel, :on)")
                            .bind("user", userId)
                            .bind("type", type.getKey())
                            .bind("channel", channel.getKey())
                            .bind("on", channel.getValue())
                            .execute();
                }
            return null;
        });
    }

    @Override
    public List<Webhook> webhooks(long userId) {
        return session.read(h -> withTypes(
                h,
                h.createQuery("SELECT " + WEBHOOK_COLUMNS + " FROM webhooks w WHERE w.user_id = :user ORDER BY w.id")
                        .bind("user", userId)
                        .map((rs, ctx) -> webhook(rs, List.of()))
                        .list()));
    }

    @Override
    public Optional<Webhook> webhook(long userId, long id) {
        return session.read(h -> withTypes(
                        h,
                        h.createQuery("SELECT " + WEBHOOK_COLUMNS
                                        + " FROM webhooks w WHERE w.user_id = :user AND w.id = :id")
                                .bind("user", userId)
                                .bind("id", id)
                                .map((rs, ctx) -> webhook(rs, List.of()))
                                .list())
                .stream()
                .findFirst());
    }

    @Override
    public long createWebhook(
            long userId, String name, String url, List<String> types, String sealedSecret, Instant now) {
        return session.write(h -> {
            long id = h.createQuery("INSERT INTO webhooks (user_id, name, url, secret, created_at, updated_at)"
                            + " VALUES (:user, :name, :url, :secret, :now, :now) RETURNING id")
                    .bind("user", userId)
                    .bind("name", name)
                    .bind("url", url)
                    .bind("secret", sealedSecret)
                    .bind("now", now.toEpochMilli())
                    .mapTo(Long.class)
                    .one();
            setTypes(h, id, types);
            return id;
        });
    }

    @Override
    public boolean updateWebhook(long userId, long id, String name, String url, List<String> types, Instant now) {
        return session.write(h -> {
            int n = h.createUpdate("UPDATE webhooks SET name = COALESCE(:name, name), url = COALESCE(:url, url),"
                            + " updated_at = :now WHERE user_id = :user AND id = :id")
                    .bind("name", name)
                    .bind("url", url)
                    .bind("now", now.toEpochMilli())
                    .bind("user", userId)
                    .bind("id", id)
                    .execute();
            if (n == 1 && types != null) setTypes(h, id, types);
            return n == 1;
        });
    }

    @Override
    public boolean rotateSecret(long userId, long id, String sealedSecret, Instant previousUntil, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE webhooks SET previous_secret = secret, secret = :secret,"
                                + " previous_until = :until, updated_at = :now WHERE user_id = :user AND id = :id")
                        .bind("secret", sealedSecret)
                        .bind("until", previousUntil.toEpochMilli())
                        .bind("now", now.toEpochMilli())
                        .bind("user", userId)
                        .bind("id", id)
                        .execute()
                == 1);
    }

    @Override
    public boolean deleteWebhook(long userId, long id) {
        return session.write(h -> {
            int n = h.createUpdate("DELETE FROM webhooks WHERE user_id = :user AND id = :id")
                    .bind("user", userId)
                    .bind("id", id)
                    .execute();
            if (n == 1) {
                h.createUpdate("DELETE FROM webhook_event_types WHERE webhook_id = :id")
                        .bind("id", id)
                        .execute();
                h.createUpdate("DELETE FROM webhook_deliveries WHERE webhook_id = :id")
                        .bind("id", id)
                        .execute();
            }
            return n == 1;
        });
    }

    @Override
    public List<Due> due(Instant now, int limit) {
        return session.read(h -> {
            List<Due> rows = h.createQuery("SELECT " + DELIVERY_COLUMNS + ", " + WEBHOOK_COLUMNS + ", "
                            + EVENT_COLUMNS + " FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                            + " JOIN events e ON e.id = d.event_id WHERE d.status = 'pending'"
                            + " AND d.next_attempt_at <= :now ORDER BY d.next_attempt_at, d.id LIMIT :limit")
                    .bind("now", now.toEpochMilli())
                    .bind("limit", limit)
                    .map((rs, ctx) -> new Due(delivery(rs), webhook(rs, List.of()), event(rs)))
                    .list();
            return rows;
        });
    }

    @Override
    public void delivered(long deliveryId, int status, Instant now) {
        session.write(h -> h.createUpdate("UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts"
                        + " + 1, last_attempt_at = :now, last_status = :status, last_error = NULL,"
                        + " delivered_at = :now WHERE id = :id AND status = 'pending'")
                .bind("now", now.toEpochMilli())
                .bind("status", status)
                .bind("id", deliveryId)
                .execute());
    }

    @Override
    public void attemptFailed(long deliveryId, Integer status, String error, Instant nextAttempt, Instant now) {
        session.write(h -> h.createUpdate("UPDATE webhook_deliveries SET status = :state, attempts = attempts + 1,"
                        + " last_attempt_at = :now, last_status = :status, last_error = :error,"
                        + " next_attempt_at = :next WHERE id = :id AND status = 'pending'")
                .bind("state", nextAttempt == null ? "failed" : "pending")
                .bind("now", now.toEpochMilli())
                .bind("status", status)
                .bind("error", error)
                .bind("next", nextAttempt == null ? now.toEpochMilli() : nextAttempt.toEpochMilli())
                .bind("id", deliveryId)
                .execute());
    }

    @Override
    public List<Delivery> deliveries(long webhookId, int limit) {
        return session.read(h -> h.createQuery("SELECT " + DELIVERY_COLUMNS
                        + " FROM webhook_deliveries d WHERE d.webhook_id = :id ORDER BY d.id DESC LIMIT :limit")
                .bind("id", webhookId)
                .bind("limit", limit)
                .map(DELIVERY)
                .list());
    }

    @Override
    public List<SilentMachine> silentMachines(Instant cutoff, String type) {
        return session.read(h -> h.createQuery("SELECT m.id, m.host_id, m.last_seen_at FROM machines m"
                        + " WHERE m.last_seen_at IS NOT NULL AND m.last_seen_at < :cutoff AND NOT EXISTS (SELECT 1"
                        + " FROM events e WHERE e.machine_id = m.id AND e.type = :type"
                        + " AND e.created_at >= m.last_seen_at) ORDER BY m.id")
                .bind("cutoff", cutoff.toEpochMilli())
                .bind("type", type)
                .map((rs, ctx) ->
                        new SilentMachine(rs.getLong("id"), rs.getLong("host_id"), Columns.instant(rs, "last_seen_at")))
                .list());
    }

    private static void setTypes(Handle h, long id, List<String> types) {
        h.createUpdate("DELETE FROM webhook_event_types WHERE webhook_id = :id")
                .bind("id", id)
                .execute();
        for (String t : types)
            h.createUpdate("INSERT INTO webhook_event_types (webhook_id, event_type) VALUES (:id, :type)")
                    .bind("id", id)
                    .bind("type", t)
                    .execute();
    }

    private static List<Webhook> withTypes(Handle h, List<Webhook> hooks) {
        if (hooks.isEmpty()) return hooks;
        Map<Long, List<String>> types = new LinkedHashMap<>();
        h.createQuery("SELECT webhook_id, event_type FROM webhook_event_types WHERE webhook_id IN (<ids>)"
                        + " ORDER BY webhook_id, event_type")
                .bindList("ids", hooks.stream().map(Webhook::id).toList())
                .map((rs, ctx) -> types.computeIfAbsent(rs.getLong("webhook_id"), x -> new ArrayList<>())
                        .add(rs.getString("event_type")))
                .list();
        return hooks.stream()
                .map(w -> new Webhook(
                        w.id(),
                        w.userId(),
                        w.name(),
                        w.url(),
                        List.copyOf(types.getOrDefault(w.id(), List.of())),
                        w.secret(),
                        w.previousSecret(),
                        w.previousUntil(),
                        w.createdAt(),
                        w.updatedAt()))
                .toList();
    }

    private static Event event(ResultSet rs) throws SQLException {
        return new Event(
                rs.getLong("id"),
                rs.getLong("user_id"),
                rs.getString("type"),
                rs.getString("subject"),
                rs.getString("message"),
                nullableLong(rs, "instance_id"),
                nullableLong(rs, "machine_id"),
                rs.getString("data"),
                Columns.instant(rs, "created_at"));
    }

    private static Webhook webhook(ResultSet rs, List<String> types) throws SQLException {
        return new Webhook(
                rs.getLong("w_id"),
                rs.getLong("w_user_id"),
                rs.getString("name"),
                rs.getString("url"),
                types,
                rs.getString("secret"),
                rs.getString("previous_secret"),
                Columns.nullableInstant(rs, "previous_until"),
                Columns.instant(rs, "w_created_at"),
                Columns.instant(rs, "w_updated_at"));
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(
                rs.getLong("d_id"),
                rs.getLong("webhook_id"),
                rs.getLong("event_id"),
                rs.getString("status"),
                rs.getInt("attempts"),
                Columns.instant(rs, "next_attempt_at"),
                Columns.nullableInstant(rs, "last_attempt_at"),
                rs.getObject("last_status") == null ? null : rs.getInt("last_status"),
                rs.getString("last_error"),
                Columns.instant(rs, "d_created_at"),
                Columns.nullableInstant(rs, "delivered_at"));
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
