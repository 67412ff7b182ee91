package io.gpumarket.store.jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger's own consistency check: every account's kept balance ({@code account_balances}, written in the same
 * transaction as each entry) equals the sum of its ledger entries. A database restored from a backup, or migrated,
 * must pass it; a backup that caught a transaction half-way would not.
 */
public final class LedgerAudit {
    /** An account whose kept balance is not the sum of its entries (micro-dollars). */
    public record Mismatch(long userId, long kept, long summed) {}

    private static final String MISMATCHES = "SELECT user_id, SUM(kept) AS kept, SUM(summed) AS summed FROM ("
            + " SELECT user_id, balance AS kept, 0 AS summed FROM account_balances"
            + " UNION ALL SELECT user_id, 0 AS kept, amount AS summed FROM ledger) t"
            + " GROUP BY user_id HAVING SUM(kept) <> SUM(summed) ORDER BY user_id";

    private LedgerAudit() {}

    /** The accounts that fail the check on this connection's database: none when it is consistent. */
    public static List<Mismatch> mismatches(Connection c) throws SQLException {
        List<Mismatch> found = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(MISMATCHES)) {
            while (rs.next()) found.add(new Mismatch(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
        return found;
    }
}
