package io.gpumarket.store;

/**
 * Where the store lives: a JDBC URL ({@code jdbc:sqlite:/path/file.db} or {@code jdbc:postgresql://…}) and,
 * for PostgreSQL, credentials. Validated at start; the dialect follows the URL scheme.
 */
public record StoreConfig(String jdbcUrl, String user, String password, int maxPoolSize) {
    public StoreConfig {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:sqlite:") || jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException(
                    "database URL must start with jdbc:sqlite: or jdbc:postgresql:, got " + jdbcUrl);
        }
        if (maxPoolSize < 1) throw new IllegalArgumentException("maxPoolSize must be at least 1");
    }

    public static StoreConfig of(String jdbcUrl) {
        return new StoreConfig(jdbcUrl, null, null, 10);
    }

    public boolean sqlite() {
        return jdbcUrl.startsWith("jdbc:sqlite:");
    }
}
