package io.gpumarket.testkit.billing;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The two sides of a ledger check, shared by the tests that hold the books against {@link Recomputation}: what a
 * renter was charged (read from the ledger) and what an instance cost (recomputed from its stored history, every
 * placement a move left behind included).
 */
public final class Charges {
    private Charges() {}

    /** What the renter has been charged so far (positive micro-dollars): its ledger's charge entries. */
    public static long charged(Store store, long renterId) {
        return -store.repos().ledger().byUser(renterId).stream()
                .filter(e -> e.kind().equals("charge"))
                .mapToLong(LedgerEntry::amount)
                .sum();
    }

    /** The instance's row and the archive row of each placement it left (a move back leaves one too). */
    public static List<Long> contractsOf(Store store, long instanceId) {
        List<Long> ids = new ArrayList<>();
        ids.add(instanceId);
        ids.addAll(store.repos().migrations().archivesOf(instanceId));
        return ids;
    }

    /**
     * What the instance cost up to {@code t}, recomputed independently of the meter from the stored history of each
     * of its contracts (docs/migrate.md, "Billing across the move": the old placement's archive row, then the row).
     */
    public static long recomputed(Store store, long instanceId, Duration unknownAfter, Instant t) {
        long total = 0;
        for (long id : contractsOf(store, instanceId)) {
            var i = store.repos().instances().find(id).orElseThrow();
            total += Recomputation.ofStored(store, i, 0, unknownAfter, t).total();
        }
        return total;
    }

    /**
     * What the renter's volumes cost up to {@code t}, recomputed from the stored rows: each placement (a volume's row
     * and each past placement a move left, docs/migrate.md) costs size × price × its span ÷ 720 hours, floored once.
     */
    public static long volumesRecomputed(Store store, long renterId, Instant t) {
        long total = 0;
        for (var v : store.repos().volumes().ofOwner(renterId, Instant.EPOCH, t)) {
            Instant end = v.deletedAt() != null && v.deletedAt().isBefore(t) ? v.deletedAt() : t;
            long ms = Math.max(0, end.toEpochMilli() - v.createdAt().toEpochMilli());
            total += java.math.BigInteger.valueOf(v.sizeGb())
                    .multiply(java.math.BigInteger.valueOf(v.pricePerGbMonth()))
                    .multiply(java.math.BigInteger.valueOf(ms))
                    .divide(java.math.BigInteger.valueOf(Duration.ofHours(720).toMillis()))
                    .longValueExact();
        }
        return total;
    }
}
