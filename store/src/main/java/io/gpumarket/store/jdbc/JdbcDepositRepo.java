package io.gpumarket.store.jdbc;

import io.gpumarket.core.billing.ReservedDeposit;
import io.gpumarket.store.DepositRepo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link DepositRepo} on {@code instance_deposits}. */
final class JdbcDepositRepo implements DepositRepo {
    private static final int CHUNK = 900;
    private static final String COLUMNS = "instance_id, owner_id, balance, deposited, discount_ppm, months_ppm,"
            + " segment_base, segment_charged, discount_total, refunded, created_at";
    private static final RowMapper<Deposit> ROW = (rs, ctx) -> new Deposit(
            rs.getLong("instance_id"),
            rs.getLong("owner_id"),
            new ReservedDeposit(
                    rs.getLong("balance"),
                    rs.getInt("discount_ppm"),
                    rs.getLong("segment_base"),
                    rs.getLong("segment_charged"),
                    rs.getLong("discount_total")),
            rs.getLong("deposited"),
            rs.getLong("months_ppm"),
            rs.getObject("refunded") == null ? null : rs.getLong("refunded"),
            Columns.instant(rs, "created_at"));

    private final Session session;

    JdbcDepositRepo(Session session) {
        this.session = session;
    }

    @Override
    public Optional<Deposit> find(long instanceId) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_deposits WHERE instance_id = :id")
                .bind("id", instanceId)
                .map(ROW)
                .findOne());
    }

    @Override
    public void save(Deposit d, Instant now) {
        session.write(h -> {
            int changed = h.createUpdate("""
                            UPDATE instance_deposits SET balance = :balance, deposited = :deposited,
                                discount_ppm = :ppm, months_ppm = :months, segment_base = :base,
                                segment_charged = :charged, discount_total = :discount, refunded = :refunded,
                                updated_at = :now WHERE instance_id = :id""")
                    .bind("balance", d.state().balance())
                    .bind("deposited", d.deposited())
                    .bind("ppm", d.state().discountPpm())
                    .bind("months", d.monthsPpm())
                    .bind("base", d.state().segmentBase())
                    .bind("charged", d.state().segmentCharged())
                    .bind("discount", d.state().discountTotal())
                    .bind("refunded", d.refunded())
                    .bind("now", now.toEpochMilli())
                    .bind("id", d.instanceId())
                    .execute();
            if (changed == 0) {
                h.createUpdate("""
                                INSERT INTO instance_deposits (instance_id, owner_id, balance, deposited, discount_ppm,
                                    months_ppm, segment_base, segment_charged, discount_total, refunded, created_at,
                                    updated_at)
                                VALUES (:id, :owner, :balance, :deposited, :ppm, :months, :base, :charged, :discount,
                                    :refunded, :now, :now)""")
                        .bind("id", d.instanceId())
                        .bind("owner", d.ownerId())
                        .bind("balance", d.state().balance())
                        .bind("deposited", d.deposited())
                        .bind("ppm", d.state().discountPpm())
                        .bind("months", d.monthsPpm())
                        .bind("base", d.state().segmentBase())
                        .bind("charged", d.state().segmentCharged())
                        .bind("discount", d.state().discountTotal())
                        .bind("refunded", d.refunded())
                        .bind("now", now.toEpochMilli())
                        .execute();
            }
            return null;
        });
    }

    @Override
    public Map<Long, Deposit> funded(Collection<Long> instanceIds) {
        Map<Long, Deposit> out = new HashMap<>();
        List<Long> ids = new ArrayList<>(instanceIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            session.read(h -> h.createQuery("SELECT " + COLUMNS
                                    + " FROM instance_deposits WHERE balance > 0 AND instance_id IN (<ids>)")
                            .bindList("ids", chunk)
                            .map(ROW)
                            .list())
                    .forEach(d -> out.put(d.instanceId(), d));
        }
        return out;
    }

    @Override
    public Set<Long> fundedOf(Collection<Long> ownerIds) {
        Set<Long> out = new HashSet<>();
        List<Long> ids = new ArrayList<>(ownerIds);
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            out.addAll(session.read(h -> h.createQuery(
                            "SELECT instance_id FROM instance_deposits WHERE balance > 0 AND owner_id IN (<ids>)")
                    .bindList("ids", chunk)
                    .mapTo(Long.class)
                    .list()));
        }
        return out;
    }
}
