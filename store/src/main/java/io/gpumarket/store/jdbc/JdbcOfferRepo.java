package io.gpumarket.store.jdbc;

import io.gpumarket.core.offer.OfferSlot;
import io.gpumarket.store.OfferRepo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * {@link OfferRepo} on the {@code offers} table. Ids come from the never-reusing key of the dialect, so a fresh
 * offer's id is greater than every id issued before it, and a stale id held by a client can never name a new
 * offer.
 */
final class JdbcOfferRepo implements OfferRepo {
    private static final RowMapper<OfferSlot> SLOT =
            (rs, ctx) -> new OfferSlot(rs.getLong("id"), rs.getLong("machine_id"), rs.getInt("num_gpus"));

    private final Session session;

    JdbcOfferRepo(Session session) {
        this.session = session;
    }

    /** In one transaction (the caller's, inside {@code inTransaction}): the old set is never half replaced. */
    @Override
    public List<OfferSlot> replace(long machineId, List<Integer> bundleSizes, Instant now) {
        return session.write(h -> {
            h.createUpdate("UPDATE offers SET active = FALSE, retired_at = :now WHERE machine_id = :machine AND active")
                    .bind("now", now.toEpochMilli())
                    .bind("machine", machineId)
                    .execute();
            if (bundleSizes.isEmpty()) return List.of();
            // One statement for every bundle; ids are issued in the order of the rows, which follow the sizes.
            StringBuilder sql =
                    new StringBuilder("INSERT INTO offers (machine_id, num_gpus, active, created_at) VALUES ");
            for (int k = 0; k < bundleSizes.size(); k++)
                sql.append(k == 0 ? "" : ", ")
                        .append("(:machine, :gpus")
                        .append(k)
                        .append(", TRUE, :now)");
            var insert = h.createQuery(
                            sql.append(" RETURNING id, machine_id, num_gpus").toString())
                    .bind("machine", machineId)
                    .bind("now", now.toEpochMilli());
            for (int k = 0; k < bundleSizes.size(); k++) insert.bind("gpus" + k, bundleSizes.get(k));
            List<OfferSlot> created = new ArrayList<>(insert.map(SLOT).list());
            created.sort(java.util.Comparator.comparingLong(OfferSlot::id));
            return created;
        });
    }

    /** Conditional: only a still-active offer is retired, so of racing renters exactly one sees true. */
    @Override
    public boolean consume(long offerId, Instant now) {
        return session.write(
                h -> h.createUpdate("UPDATE offers SET active = FALSE, retired_at = :now WHERE id = :id AND active")
                                .bind("now", now.toEpochMilli())
                                .bind("id", offerId)
                                .execute()
                        == 1);
    }

    @Override
    public Optional<OfferSlot> findActive(long offerId) {
        return session.read(h -> h.createQuery("SELECT id, machine_id, num_gpus FROM offers WHERE id = :id AND active")
                .bind("id", offerId)
                .map(SLOT)
                .findOne());
    }

    @Override
    public List<OfferSlot> active() {
        return session.read(
                h -> h.createQuery("SELECT id, machine_id, num_gpus FROM offers WHERE active ORDER BY machine_id, id")
                        .map(SLOT)
                        .list());
    }

    /** The machine's active offers, in id order. */
    @Override
    public List<OfferSlot> activeFor(long machineId) {
        return session.read(h -> h.createQuery(
                        "SELECT id, machine_id, num_gpus FROM offers WHERE machine_id = :machine AND active ORDER BY id")
                .bind("machine", machineId)
                .map(SLOT)
                .list());
    }
}
