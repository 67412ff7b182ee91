package io.gpumarket.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Inserting many rows in few statements: {@code INSERT … VALUES (…), (…), …} with a few hundred rows each, the
 * statement for a full chunk prepared once. Both databases take this form (upserts included, as long as no two rows
 * of one statement have the same key).
 */
final class Rows {
    /** Rows per statement: well below either database's limit on bound values. */
    private static final int CHUNK = 250;

    static final String LEDGER_INSERT =
            "INSERT INTO ledger (user_id, kind, amount, memo, idempotency_key, created_at) VALUES ";
    static final String BALANCE_UPSERT =
            " ON CONFLICT (user_id) DO UPDATE SET balance = account_balances.balance + excluded.balance";

    /** Binds one row's values from parameter index {@code first} on. */
    interface Binder<T> {
        void bind(PreparedStatement ps, int first, T row) throws SQLException;
    }

    private Rows() {}

    static <T> void insert(Connection c, String head, String tail, int columns, List<T> rows, Binder<T> binder)
            throws SQLException {
        if (rows.isEmpty()) return;
        PreparedStatement full = null;
        try {
            for (int from = 0; from < rows.size(); from += CHUNK) {
                int n = Math.min(CHUNK, rows.size() - from);
                PreparedStatement ps = n == CHUNK
                        ? (full != null ? full : (full = c.prepareStatement(sql(head, tail, columns, n))))
                        : c.prepareStatement(sql(head, tail, columns, n));
                try {
                    for (int k = 0; k < n; k++) binder.bind(ps, k * columns + 1, rows.get(from + k));
                    ps.executeUpdate();
                } finally {
                    if (ps != full) ps.close();
                }
            }
        } finally {
            if (full != null) full.close();
        }
    }

    static void bindEntry(PreparedStatement ps, int i, io.gpumarket.store.Posting p, long createdAt)
            throws SQLException {
        ps.setLong(i, p.userId());
        ps.setString(i + 1, p.kind());
        ps.setLong(i + 2, p.amount());
        ps.setString(i + 3, p.memo());
        ps.setString(i + 4, p.idempotencyKey());
        ps.setLong(i + 5, createdAt);
    }

    private static String sql(String head, String tail, int columns, int rows) {
        StringBuilder row = new StringBuilder("(");
        for (int k = 0; k < columns; k++) row.append(k == 0 ? "?" : ", ?");
        row.append(')');
        StringBuilder sql = new StringBuilder(head.length() + rows * (row.length() + 2) + tail.length()).append(head);
        for (int r = 0; r < rows; r++) sql.append(r == 0 ? "" : ", ").append(row);
        return sql.append(tail).toString();
    }
}
