package io.gpumarket.app.command;

import io.gpumarket.server.ServerConfig;
import io.gpumarket.store.SchemaStatus;
import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.store.jdbc.ServerLock;
import java.util.function.Supplier;

/**
 * {@code gpumarket server --check}: what a start would find, without starting — the settings validated, the database
 * reached, its schema compared with this build's migrations — for a deploy script or a unit's {@code ExecStartPre}.
 * Exit status: 0 ready, 3 ready once the pending migrations are applied (the start does that), 2 not startable.
 */
final class ServerCheck {
    static final int READY = 0;
    static final int NOT_STARTABLE = 2;
    static final int MIGRATIONS_PENDING = 3;

    private ServerCheck() {}

    static int run(Supplier<ServerConfig> settings) {
        ServerConfig config;
        try {
            config = settings.get();
        } catch (RuntimeException e) {
            System.err.println("settings: " + e.getMessage());
            return NOT_STARTABLE;
        }
        String url = config.effectiveJdbcUrl();
        System.out.println("settings: valid (listen " + config.host() + ":" + config.port() + ")");
        SchemaStatus schema;
        try {
            schema = JdbcStore.check(new StoreConfig(url, config.dbUser(), config.dbPassword(), 1));
        } catch (RuntimeException e) {
            System.err.println("database " + shown(url) + ": cannot be read: " + rootMessage(e));
            return NOT_STARTABLE;
        }
        if (schema.current() == null && schema.latest() == null) {
            System.out.println(
                    "database " + shown(url) + ": none yet (a start creates it and applies every migration)");
            return MIGRATIONS_PENDING;
        }
        System.out.println("database " + shown(url) + ": reachable, schema version "
                + (schema.current() == null ? "none" : schema.current()) + " (this build's newest: "
                + (schema.latest() == null ? "all of them" : schema.latest()) + ")");
        if (url.startsWith("jdbc:sqlite:") && ServerLock.held(url))
            System.out.println("a server is running on this database now");
        for (String p : schema.pending()) System.out.println("pending migration (applied at start): " + p);
        for (String p : schema.problems()) System.err.println("schema: " + p);
        if (!schema.problems().isEmpty()) return NOT_STARTABLE;
        return schema.pending().isEmpty() ? READY : MIGRATIONS_PENDING;
    }

    /** The URL without its query string, which may carry a password. */
    private static String shown(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && e.getCause() != e) e = e.getCause();
        return e.getMessage();
    }
}
