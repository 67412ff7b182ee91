package io.gpumarket.testkit.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.gpumarket.store.StoreConfig;
import io.gpumarket.store.jdbc.JdbcStore;
import io.gpumarket.store.jdbc.LedgerAudit;
import io.gpumarket.testkit.PostgresCluster;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Upgrades from every released schema: for each Flyway version N of the migrations, an empty database is migrated to
 * N, given a row in every table it has then (every column filled), and migrated to the newest; every value of those
 * rows must still be there (but for the columns a migration rewrites on purpose), and the ledger must pass its check.
 * Both databases.
 */
class MigrationsForwardTest {
    /** The SQLite databases' directories, removed with it after the class (deleteOnExit cannot remove a full one). */
    @TempDir
    static Path databases;

    /** Columns a migration changes on purpose: V24 blanks the instances' keys, which are derived now. */
    private static final Set<String> REWRITTEN = Set.of("instances.container_api_key");

    /** Values that satisfy the schema's CHECKs; every other column gets a plain value of its type. */
    private static final Map<String, Object> CHOSEN = Map.of(
            "intended_status", "running",
            "cur_state", "running",
            "bid_phase", "holding",
            "end_at", 2L,
            "start_at", 1L);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void rows_written_at_every_schema_version_survive_migration_to_the_newest(String backend) throws Exception {
        List<String> versions = new ArrayList<>();
        for (MigrationInfo m :
                JdbcStore.flyway(StoreConfig.of(newDatabase(backend))).info().all()) {
            if (m.getVersion() != null) versions.add(m.getVersion().getVersion());
        }
        assertThat(versions).hasSizeGreaterThan(10);
        for (String version : versions) {
            String url = newDatabase(backend);
            Flyway full = JdbcStore.flyway(StoreConfig.of(url));
            Flyway.configure()
                    .configuration(full.getConfiguration())
                    .target(version)
                    .load()
                    .migrate();
            Map<String, Map<String, Object>> written;
            try (Connection c = DriverManager.getConnection(url)) {
                written = fillEveryTable(c, backend);
            }
            assertThat(written).as("tables at V" + version).isNotEmpty();
            full.migrate();
            try (Connection c = DriverManager.getConnection(url)) {
                for (var table : written.entrySet()) {
                    Map<String, Object> now = read(c, table.getKey(), table.getValue());
                    for (var col : table.getValue().entrySet()) {
                        String name = table.getKey() + "." + col.getKey();
                        if (REWRITTEN.contains(name) || !now.containsKey(col.getKey())) continue;
                        assertThat(normal(now.get(col.getKey())))
                                .as("%s written at V%s, after migrating to the newest", name, version)
                                .isEqualTo(normal(col.getValue()));
                    }
                }
                assertThat(LedgerAudit.mismatches(c))
                        .as("ledger after V" + version)
                        .isEmpty();
            }
        }
    }

    private static String newDatabase(String backend) throws Exception {
        if (backend.equals("postgresql")) return PostgresCluster.get().newDatabase();
        Path dir = Files.createTempDirectory(databases, "db");
        return "jdbc:sqlite:" + dir.resolve("db.sqlite");
    }

    /**
     * One row in every table, parents before children (a table whose foreign key finds no row yet is tried again
     * after the others): ids are 1, so every reference points at its parent's one row.
     */
    private static Map<String, Map<String, Object>> fillEveryTable(Connection c, String backend) throws SQLException {
        if (backend.equals("sqlite")) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA foreign_keys = ON");
            }
        }
        List<String> left = new ArrayList<>();
        for (String table : tables(c)) {
            // a table a migration seeded (the meter's one state row) keeps its row; the others get ours
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
                rs.next();
                if (rs.getLong(1) == 0) left.add(table);
            }
        }
        Map<String, Map<String, Object>> written = new LinkedHashMap<>();
        while (!left.isEmpty()) {
            Map<String, SQLException> lastFailure = new LinkedHashMap<>();
            boolean progress = false;
            for (String table : List.copyOf(left)) {
                Map<String, Object> row = row(c, table);
                try {
                    insert(c, table, row);
                    written.put(table, row);
                    left.remove(table);
                    progress = true;
                } catch (SQLException e) {
                    lastFailure.put(table, e);
                }
            }
            if (!progress) throw new AssertionError("cannot fill " + left + ": " + lastFailure);
        }
        return written;
    }

    private static List<String> tables(Connection c) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                String name = rs.getString("TABLE_NAME");
                if (schema != null && !schema.equals("public")) continue;
                if (name.startsWith("flyway_") || name.startsWith("sqlite_")) continue;
                // written by triggers as other tables are filled (a log of changes, not data of its own): pruned rows
                // that carry nothing across a migration (docs/high-availability.md)
                if (name.equals("market_changes")) continue;
                tables.add(name);
            }
        }
        return tables;
    }

    private static Map<String, Object> row(Connection c, String table) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        DatabaseMetaData meta = c.getMetaData();
        try (ResultSet rs = meta.getColumns(null, null, table, "%")) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema != null && !schema.equals("public")) continue;
                String column = rs.getString("COLUMN_NAME");
                row.put(column, value(column, rs.getInt("DATA_TYPE"), rs.getString("TYPE_NAME")));
            }
        }
        return row;
    }

    private static Object value(String column, int sqlType, String typeName) {
        if (CHOSEN.containsKey(column)) return CHOSEN.get(column);
        String type = typeName.toLowerCase(Locale.ROOT);
        if (type.contains("bool") || sqlType == Types.BOOLEAN || sqlType == Types.BIT) return Boolean.TRUE;
        return switch (sqlType) {
            case Types.INTEGER, Types.BIGINT, Types.SMALLINT, Types.TINYINT -> 1L;
            case Types.REAL, Types.DOUBLE, Types.FLOAT, Types.NUMERIC, Types.DECIMAL -> 1.5;
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> new byte[] {1, 2, 3};
            default -> type.contains("json") ? "{\"kept\": 1}" : "kept-" + column;
        };
    }

    private static void insert(Connection c, String table, Map<String, Object> row) throws SQLException {
        List<String> columns = new ArrayList<>(row.keySet());
        String marks = String.join(", ", columns.stream().map(x -> "?").toList());
        String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ") VALUES (" + marks + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < columns.size(); i++) {
                Object v = row.get(columns.get(i));
                if (v instanceof String s && s.startsWith("{")) ps.setObject(i + 1, s, Types.OTHER);
                else ps.setObject(i + 1, v);
            }
            ps.executeUpdate();
        }
    }

    /** The row now (its table has one), by column. */
    private static Map<String, Object> read(Connection c, String table, Map<String, Object> written)
            throws SQLException {
        Map<String, Object> now = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            assertThat(rs.next()).as("the row written in " + table).isTrue();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                now.put(rs.getMetaData().getColumnName(i), rs.getObject(i));
            }
            assertThat(rs.next()).as("one row in " + table).isFalse();
        }
        return now;
    }

    /** Values compared across drivers: numbers by value, booleans as 0/1, bytes and JSON text as text. */
    private static String normal(Object v) {
        if (v == null) return "null";
        if (v instanceof Boolean b) return b ? "1" : "0";
        if (v instanceof Number n)
            return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
        if (v instanceof byte[] bytes) return java.util.HexFormat.of().formatHex(bytes);
        String s = v.toString();
        return s.startsWith("{") ? s.replace(" ", "") : s;
    }
}
