package io.gpumarket.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gpumarket server --check}: what a start would find, told by the exit status, with nothing served or changed. */
class ServerCheckTest {
    @TempDir
    Path home;

    @Test
    void a_database_a_server_has_run_on_is_ready() throws Exception {
        try (TestServer server = TestServer.start()) {
            // checked while the server runs (the home it deletes at close holds its SQLite file)
            Cli.Result r =
                    Cli.run("server", "--check", "--db", server.app().config().effectiveJdbcUrl());
            assertThat(r.exit()).as(r.output()).isZero();
        }
    }

    @Test
    void a_database_behind_the_build_has_pending_migrations_and_is_left_as_it_was() throws Exception {
        String url = "jdbc:sqlite:" + home.resolve("old.db");
        Flyway full = JdbcStore.flyway(StoreConfig.of(url));
        Flyway.configure()
                .configuration(full.getConfiguration())
                .target("5")
                .load()
                .migrate();

        Cli.Result r = Cli.run("server", "--check", "--db", url);
        assertThat(r.exit()).as(r.output()).isEqualTo(3);
        assertThat(JdbcStore.check(StoreConfig.of(url)).current()).isEqualTo("5");
    }

    @Test
    void a_missing_sqlite_file_is_pending_and_not_created() throws Exception {
        Path file = home.resolve("none-yet.db");
        Cli.Result r = Cli.run("server", "--check", "--db", "jdbc:sqlite:" + file);
        assertThat(r.exit()).as(r.output()).isEqualTo(3);
        assertThat(file).doesNotExist();
    }

    @Test
    void a_schema_a_newer_build_migrated_is_not_startable() throws Exception {
        String url = "jdbc:sqlite:" + home.resolve("newer.db");
        JdbcStore.open(StoreConfig.of(url)).close();
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) VALUES"
                    + " (999, '999', 'from the future', 'SQL', 'V999__from_the_future.sql', 1, 'test', 1, 1)");
        }
        Cli.Result r = Cli.run("server", "--check", "--db", url);
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
    }

    @Test
    void an_unreachable_database_or_a_bad_setting_is_not_startable() throws Exception {
        Cli.Result unreachable = Cli.run("server", "--check", "--db", "jdbc:postgresql://127.0.0.1:1/nothing");
        assertThat(unreachable.exit()).as(unreachable.output()).isEqualTo(2);

        Cli.Result badListen =
                Cli.run("server", "--check", "--listen", "nowhere", "--db", "jdbc:sqlite:" + home.resolve("x.db"));
        assertThat(badListen.exit()).as(badListen.output()).isEqualTo(2);
        assertThat(Files.exists(home.resolve("x.db"))).isFalse();
    }
}
