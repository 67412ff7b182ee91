package io.gpumarket.app.command;

/** The database URL of {@code admin backup/restore}: the server's default unless {@code --db} names one. */
final class Databases {
    private Databases() {}

    /** The SQLite URL, or null (having said why) for PostgreSQL, which its own tools back up. */
    static String sqliteUrl(String db, String verb) {
        String url = db != null
                ? db
                : "jdbc:sqlite:" + Home.path().resolve("gpumarket.db").toAbsolutePath();
        if (url.startsWith("jdbc:sqlite:")) return url;
        System.err.println(
                "gpumarket admin " + verb + " copies SQLite databases; for PostgreSQL use pg_dump / pg_restore"
                        + " or point-in-time recovery (docs/operations.md \"Backups and restore\")");
        return null;
    }
}
