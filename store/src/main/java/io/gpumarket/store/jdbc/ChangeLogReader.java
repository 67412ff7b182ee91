package io.gpumarket.store.jdbc;

import io.gpumarket.store.StoreConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * A replica's reading end of the market change log ({@code market_changes}, {@code db/postgresql/V58}): one connection
 * of its own that LISTENs for the log's notifications and reads the rows after a position. Not thread-safe: one
 * reader thread per replica uses it. A failure closes the connection; the next call opens a new one (and LISTENs
 * again), and the reader catches up from the log, so a missed notification only costs the wait until the next read.
 */
public final class ChangeLogReader implements AutoCloseable {
    /** One row of the log: which machine changed, and which replica's connection changed it. */
    public record Change(long seq, long machineId, String origin) {}

    private static final String CHANNEL = "market_changes";

    private final StoreConfig config;
    private final String applicationName;
    private Connection connection;

    public ChangeLogReader(StoreConfig config, String applicationName) {
        if (config.sqlite()) throw new IllegalArgumentException("the change log needs PostgreSQL");
        this.config = config;
        this.applicationName = applicationName;
    }

    /** The highest number written so far (0 for an empty log): a new replica's starting position. */
    public long head() throws SQLException {
        try (Statement s = connection().createStatement();
                ResultSet r = s.executeQuery("SELECT coalesce(max(seq), 0) FROM market_changes")) {
            r.next();
            return r.getLong(1);
        } catch (SQLException e) {
            drop();
            throw e;
        }
    }

    /** Up to {@code limit} rows after {@code position}, in order. */
    public List<Change> after(long position, int limit) throws SQLException {
        try (PreparedStatement s = connection()
                .prepareStatement(
                        "SELECT seq, machine_id, origin FROM market_changes WHERE seq > ? ORDER BY seq LIMIT ?")) {
            s.setLong(1, position);
            s.setInt(2, limit);
            List<Change> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) out.add(new Change(r.getLong(1), r.getLong(2), r.getString(3)));
            }
            return out;
        } catch (SQLException e) {
            drop();
            throw e;
        }
    }

    /** Waits up to {@code max} for a notification; true when one (or more) came. */
    public boolean await(Duration max) throws SQLException {
        try {
            PGConnection pg = connection().unwrap(PGConnection.class);
            PGNotification[] got = pg.getNotifications((int) Math.max(1, max.toMillis()));
            return got != null && got.length > 0;
        } catch (SQLException e) {
            drop();
            throw e;
        }
    }

    /** Deletes the rows written before {@code age} ago; answers how many. Any replica may call it. */
    public static int prune(StoreConfig config, String applicationName, Duration age) throws SQLException {
        try (Connection c = AdvisoryLeases.open(config, applicationName + "-prune");
                PreparedStatement s = c.prepareStatement("DELETE FROM market_changes"
                        + " WHERE at < (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT - ?")) {
            s.setLong(1, age.toMillis());
            return s.executeUpdate();
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection c = AdvisoryLeases.open(config, applicationName + "-feed");
            try (Statement s = c.createStatement()) {
                s.execute("LISTEN " + CHANNEL);
            } catch (SQLException e) {
                c.close();
                throw e;
            }
            connection = c;
        }
        return connection;
    }

    private void drop() {
        if (connection == null) return;
        try {
            connection.close();
        } catch (SQLException ignored) {
            // gone either way
        }
        connection = null;
    }

    @Override
    public void close() {
        drop();
    }
}
