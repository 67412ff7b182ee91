package io.gpumarket.store.jdbc;

import io.gpumarket.store.StoreConfig;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

/**
 * Named leases held as PostgreSQL session advisory locks on one connection of their own, outside the pool
 * (docs/high-availability.md). The database lets go of every lock of the connection when it ends — a closed socket, a
 * killed process, a server that dropped it — so a lease is never stale and never needs a timeout of its own. Locks
 * use the two-key form, class {@link #CLASS} and a hash of the name, which PostgreSQL keeps apart from the one-key locks
 * (the meter's and events' transaction locks).
 *
 * <p>Thread-safe: calls share the one connection in turn. Any failure of the connection counts as every lease lost;
 * the next call opens a new connection.
 */
public final class AdvisoryLeases implements AutoCloseable {
    /** "gl": the first key of every lease lock. */
    static final int CLASS = 0x676c;

    private final StoreConfig config;
    private final String applicationName;
    private Connection connection;
    private final Set<String> held = new HashSet<>();

    public AdvisoryLeases(StoreConfig config, String applicationName) {
        if (config.sqlite()) throw new IllegalArgumentException("advisory leases need PostgreSQL");
        this.config = config;
        this.applicationName = applicationName;
    }

    /** Takes the lease {@code name} if no other connection holds it; true when this one holds it now. */
    public synchronized boolean tryTake(String name) {
        if (held.contains(name)) return confirm(name);
        try {
            try (PreparedStatement s = connection().prepareStatement("SELECT pg_try_advisory_lock(?, ?)")) {
                s.setInt(1, CLASS);
                s.setInt(2, key(name));
                try (ResultSet r = s.executeQuery()) {
                    r.next();
                    if (!r.getBoolean(1)) return false;
                }
            }
            held.add(name);
            return true;
        } catch (SQLException e) {
            lost();
            return false;
        }
    }

    /** Asks the database whether this connection still holds the lease {@code name}; false (and all lost) on failure. */
    public synchronized boolean confirm(String name) {
        if (!held.contains(name) || connection == null) return false;
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                        + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 2 AND granted")) {
            s.setLong(1, Integer.toUnsignedLong(CLASS));
            s.setLong(2, Integer.toUnsignedLong(key(name)));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                if (r.getLong(1) > 0) return true;
            }
            held.remove(name);
            return false;
        } catch (SQLException e) {
            lost();
            return false;
        }
    }

    /** Lets go of the lease {@code name} (a replica that drains hands its loops over at once). */
    public synchronized void release(String name) {
        if (!held.remove(name) || connection == null) return;
        try (PreparedStatement s = connection.prepareStatement("SELECT pg_advisory_unlock(?, ?)")) {
            s.setInt(1, CLASS);
            s.setInt(2, key(name));
            s.executeQuery().close();
        } catch (SQLException e) {
            lost();
        }
    }

    public synchronized boolean holds(String name) {
        return held.contains(name);
    }

    /** The lock's second key: a stable hash of the name (a collision only makes two loops share one leader). */
    static int key(String name) {
        int h = 0x811c9dc5;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }

    private Connection connection() throws SQLException {
        if (connection == null) connection = open(config, applicationName + "-leases");
        return connection;
    }

    private void lost() {
        held.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is gone either way, and its locks with it
            }
            connection = null;
        }
    }

    /** A connection of its own (not from the pool), in autocommit, with a short socket timeout for a dead server. */
    static Connection open(StoreConfig config, String applicationName) throws SQLException {
        Properties p = new Properties();
        if (config.user() != null) p.setProperty("user", config.user());
        if (config.password() != null) p.setProperty("password", config.password());
        p.setProperty("ApplicationName", applicationName);
        p.setProperty("connectTimeout", "5");
        p.setProperty("tcpKeepAlive", "true");
        Connection c = DriverManager.getConnection(config.jdbcUrl(), p);
        try (Statement s = c.createStatement()) {
            // a server that stops answering must not hold a lease's caller for long
            s.execute("SET statement_timeout = '5s'");
        }
        return c;
    }

    @Override
    public synchronized void close() {
        lost();
    }
}
