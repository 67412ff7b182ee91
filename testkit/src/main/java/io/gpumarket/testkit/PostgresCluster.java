package io.gpumarket.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gives tests fresh PostgreSQL databases. With {@code GPUMARKET_TEST_PG_URL} set (a JDBC URL of a running
 * server, connecting as a superuser), databases are created there and dropped when the JVM exits; otherwise one
 * throwaway cluster ({@link LocalPostgres}) is started on first use and shared by every test class of the JVM,
 * since starting one costs about two seconds and a new database only milliseconds.
 */
public final class PostgresCluster {
    /** The environment variable naming an existing server to use instead of a throwaway cluster. */
    public static final String URL_ENV = "GPUMARKET_TEST_PG_URL";

    private static final Pattern JDBC_URL = Pattern.compile("(jdbc:postgresql://[^/?]+)/?([^?]*)(\\?.*)?");
    private static PostgresCluster shared;

    private final String adminUrl;
    private final boolean dropOnExit;
    private final List<String> created = new ArrayList<>();
    private final AtomicInteger counter = new AtomicInteger();

    private PostgresCluster(String adminUrl, boolean dropOnExit) {
        this.adminUrl = adminUrl;
        this.dropOnExit = dropOnExit;
    }

    /** The JVM's cluster: the server named by {@value #URL_ENV}, or a throwaway one started now if need be. */
    public static synchronized PostgresCluster get() {
        if (shared == null) {
            String external = System.getenv(URL_ENV);
            if (external != null && !external.isBlank()) {
                shared = new PostgresCluster(external, true);
                Runtime.getRuntime().addShutdownHook(new Thread(shared::dropCreated, "drop-test-databases"));
            } else {
                shared = new PostgresCluster(LocalPostgres.start().adminUrl(), false);
            }
        }
        return shared;
    }

    /** The superuser URL of the server's {@code postgres} (or given) database. */
    public String adminUrl() {
        return adminUrl;
    }

    /** Creates an empty, uniquely named database and returns its JDBC URL (credentials as in the admin URL). */
    public String newDatabase() {
        String name = "gpumarket_test_" + ProcessHandle.current().pid() + "_" + counter.incrementAndGet();
        execute("CREATE DATABASE " + name);
        synchronized (created) {
            created.add(name);
        }
        return urlOf(name);
    }

    /** The admin URL pointed at another database of the same server. */
    String urlOf(String database) {
        Matcher m = JDBC_URL.matcher(adminUrl);
        if (!m.matches()) throw new IllegalArgumentException("not a jdbc:postgresql:// URL: " + adminUrl);
        return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + adminUrl + ": " + e.getMessage(), e);
        }
    }

    /** On a shared server, leave nothing behind; FORCE ends connections a test left open. */
    private void dropCreated() {
        if (!dropOnExit) return;
        List<String> names;
        synchronized (created) {
            names = List.copyOf(created);
        }
        for (String name : names) {
            try {
                execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException e) {
                System.err.println("could not drop test database " + name + ": " + e.getMessage());
            }
        }
    }
}
