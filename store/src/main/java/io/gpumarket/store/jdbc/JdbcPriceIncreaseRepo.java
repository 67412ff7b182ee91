package io.gpumarket.store.jdbc;

import io.gpumarket.store.PriceIncreaseRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link PriceIncreaseRepo} on {@code pending_price_increases} (V49). */
final class JdbcPriceIncreaseRepo implements PriceIncreaseRepo {
    private static final String COLUMNS =
            "p.id, p.instance_id, p.owner_id, p.host_id, p.old_gpu_price, p.new_gpu_price,"
                    + " p.old_disk_price, p.old_inet_up_price, p.old_inet_down_price, p.platform_fee_ppm, p.contract_end_date,"
                    + " p.ask_end_date, p.status, p.created_at, p.decided_at";
    private static final RowMapper<PriceIncrease> ROW = (rs, ctx) -> new PriceIncrease(
            rs.getLong("id"),
            rs.getLong("instance_id"),
            rs.getLong("owner_id"),
            rs.getLong("host_id"),
            rs.getLong("old_gpu_price"),
            rs.getLong("new_gpu_price"),
            rs.getLong("old_disk_price"),
            rs.getLong("old_inet_up_price"),
            rs.getLong("old_inet_down_price"),
            rs.getInt("platform_fee_ppm"),
            rs.getLong("contract_end_date"),
            rs.getLong("ask_end_date"),
            rs.getString("status"),
            Columns.instant(rs, "created_at"),
            Columns.nullableInstant(rs, "decided_at"));

    private final Session session;

    JdbcPriceIncreaseRepo(Session session) {
        this.session = session;
    }

    @Override
    public PriceIncrease offer(PriceIncrease p) {
        return session.write(h -> {
            h.createUpdate("UPDATE pending_price_increases SET status = :superseded, decided_at = :at"
                            + " WHERE instance_id = :instance AND status = :pending")
                    .bind("superseded", SUPERSEDED)
                    .bind("at", p.createdAt().toEpochMilli())
                    .bind("instance", p.instanceId())
                    .bind("pending", PENDING)
                    .execute();
            return h.createQuery("""
                            INSERT INTO pending_price_increases (instance_id, owner_id, host_id, old_gpu_price,
                                new_gpu_price, old_disk_price, new_disk_price, old_inet_up_price, new_inet_up_price,
                                old_inet_down_price, new_inet_down_price, platform_fee_ppm, contract_end_date,
                                ask_end_date, status, created_at)
                            VALUES (:instance, :owner, :host, :old_gpu, :new_gpu, :disk, :disk, :up, :up, :down, :down,
                                (SELECT platform_fee_ppm FROM instances WHERE id = :instance), :contract_end, :ask_end, :pending, :at) RETURNING id""")
                    .bind("instance", p.instanceId())
                    .bind("owner", p.ownerId())
                    .bind("host", p.hostId())
                    .bind("old_gpu", p.oldGpuPrice())
                    .bind("new_gpu", p.newGpuPrice())
                    .bind("disk", p.diskPrice())
                    .bind("up", p.inetUpPrice())
                    .bind("down", p.inetDownPrice())
                    .bind("contract_end", p.contractEndDate())
                    .bind("ask_end", p.askEndDate())
                    .bind("pending", PENDING)
                    .bind("at", p.createdAt().toEpochMilli())
                    .mapTo(Long.class)
                    .map(id -> new PriceIncrease(
                            id,
                            p.instanceId(),
                            p.ownerId(),
                            p.hostId(),
                            p.oldGpuPrice(),
                            p.newGpuPrice(),
                            p.diskPrice(),
                            p.inetUpPrice(),
                            p.inetDownPrice(),
                            fee(h, p.instanceId()),
                            p.contractEndDate(),
                            p.askEndDate(),
                            PENDING,
                            p.createdAt(),
                            null))
                    .one();
        });
    }

    private static int fee(org.jdbi.v3.core.Handle h, long instanceId) {
        return h.createQuery("SELECT platform_fee_ppm FROM instances WHERE id = :id")
                .bind("id", instanceId)
                .mapTo(Integer.class)
                .one();
    }

    @Override
    public List<PriceIncrease> pendingOf(long ownerId, int limit) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM pending_price_increases p JOIN instances i ON i.id = p.instance_id"
                        + " WHERE p.owner_id = :owner AND p.status = :pending AND i.destroyed_at IS NULL"
                        + " ORDER BY p.id LIMIT :limit")
                .bind("owner", ownerId)
                .bind("pending", PENDING)
                .bind("limit", limit)
                .map(ROW)
                .list());
    }

    @Override
    public Optional<PriceIncrease> find(long id) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM pending_price_increases p WHERE p.id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    @Override
    public boolean decide(long id, String status, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE pending_price_increases SET status = :status,"
                                + " decided_at = :at WHERE id = :id AND status = :pending")
                        .bind("status", status)
                        .bind("at", now.toEpochMilli())
                        .bind("id", id)
                        .bind("pending", PENDING)
                        .execute()
                == 1);
    }
}
