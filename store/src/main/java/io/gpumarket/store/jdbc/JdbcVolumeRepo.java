package io.gpumarket.store.jdbc;

import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeOffer;
import io.gpumarket.store.VolumeRepo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link VolumeRepo} on {@code volume_offers}, {@code volumes} and {@code instance_volumes} (V40). */
final class JdbcVolumeRepo implements VolumeRepo {
    private static final RowMapper<Volume> VOLUME = (rs, ctx) -> new Volume(
            rs.getLong("id"),
            rs.getLong("owner_id"),
            rs.getLong("machine_id"),
            rs.getLong("offer_id"),
            rs.getString("name"),
            rs.getLong("size_gb"),
            rs.getLong("price_per_gb_month"),
            Columns.instant(rs, "created_at"),
            Columns.nullableInstant(rs, "deleted_at"));
    private static final RowMapper<VolumeOffer> OFFER = (rs, ctx) -> new VolumeOffer(
            rs.getLong("id"),
            rs.getLong("machine_id"),
            rs.getLong("size_gb"),
            rs.getLong("price_per_gb_month"),
            Columns.nullableInstant(rs, "end_date"),
            rs.getLong("used_gb"));
    /**
     * Used space: the live volumes rented from the offer, and the volumes of instances moving to its machine that
     * have not moved yet (docs/migrate.md: the destination's room is held from the move's request).
     */
    private static final String OFFERS = """
            SELECT o.*, (SELECT COALESCE(SUM(v.size_gb), 0) FROM volumes v
                         WHERE v.offer_id = o.id AND v.deleted_at IS NULL)
                      + (SELECT COALESCE(SUM(v.size_gb), 0) FROM instance_migrations m
                         JOIN instance_volumes iv ON iv.instance_id = m.instance_id
                         JOIN volumes v ON v.id = iv.volume_id
                         WHERE m.ended_at IS NULL AND m.to_machine = o.machine_id
                         AND v.machine_id <> o.machine_id AND v.deleted_at IS NULL) AS used_gb
            FROM volume_offers o WHERE o.unlisted_at IS NULL""";

    private final Session session;

    JdbcVolumeRepo(Session session) {
        this.session = session;
    }

    @Override
    public VolumeOffer listOffer(long machineId, long sizeGb, long pricePerGbMonth, Instant endDate, Instant now) {
        session.write(h -> {
            int changed = h.createUpdate("""
                            UPDATE volume_offers SET size_gb = :size, price_per_gb_month = :price, end_date = :end
                            WHERE machine_id = :machine AND unlisted_at IS NULL""")
                    .bind("size", sizeGb)
                    .bind("price", pricePerGbMonth)
                    .bind("end", Columns.millis(endDate))
                    .bind("machine", machineId)
                    .execute();
            if (changed == 0) {
                h.createUpdate("""
                                INSERT INTO volume_offers (machine_id, size_gb, price_per_gb_month, end_date, created_at)
                                VALUES (:machine, :size, :price, :end, :now)""")
                        .bind("size", sizeGb)
                        .bind("price", pricePerGbMonth)
                        .bind("end", Columns.millis(endDate))
                        .bind("machine", machineId)
                        .bind("now", now.toEpochMilli())
                        .execute();
            }
            return null;
        });
        return offerOfMachine(machineId).orElseThrow();
    }

    @Override
    public Optional<VolumeOffer> findOffer(long offerId) {
        return session.read(h -> h.createQuery(OFFERS + " AND o.id = :id")
                .bind("id", offerId)
                .map(OFFER)
                .findOne());
    }

    @Override
    public Optional<VolumeOffer> offerOfMachine(long machineId) {
        return session.read(h -> h.createQuery(OFFERS + " AND o.machine_id = :machine")
                .bind("machine", machineId)
                .map(OFFER)
                .findOne());
    }

    @Override
    public List<VolumeOffer> liveOffers() {
        return session.read(
                h -> h.createQuery(OFFERS + " ORDER BY o.id").map(OFFER).list());
    }

    @Override
    public boolean unlistOffer(long offerId, Instant now) {
        return session.write(h ->
                h.createUpdate("UPDATE volume_offers SET unlisted_at = :now WHERE id = :id AND unlisted_at IS NULL")
                                .bind("now", now.toEpochMilli())
                                .bind("id", offerId)
                                .execute()
                        == 1);
    }

    @Override
    public Volume create(long ownerId, VolumeOffer offer, long sizeGb, String name, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO volumes (owner_id, machine_id, offer_id, name, size_gb, price_per_gb_month, created_at)
                        VALUES (:owner, :machine, :offer, :name, :size, :price, :now) RETURNING *""")
                .bind("owner", ownerId)
                .bind("machine", offer.machineId())
                .bind("offer", offer.id())
                .bind("name", name)
                .bind("size", sizeGb)
                .bind("price", offer.pricePerGbMonth())
                .bind("now", MeterFence.at(h, session.dialect(), now))
                .map(VOLUME)
                .one());
    }

    @Override
    public Optional<Volume> find(long ownerId, long volumeId) {
        return session.read(
                h -> h.createQuery("SELECT * FROM volumes WHERE id = :id AND owner_id = :owner AND deleted_at IS NULL")
                        .bind("id", volumeId)
                        .bind("owner", ownerId)
                        .map(VOLUME)
                        .findOne());
    }

    @Override
    public Optional<Volume> byId(long volumeId) {
        return session.read(h -> h.createQuery("SELECT * FROM volumes WHERE id = :id")
                .bind("id", volumeId)
                .map(VOLUME)
                .findOne());
    }

    @Override
    public List<Volume> live(long ownerId) {
        return session.read(
                h -> h.createQuery("SELECT * FROM volumes WHERE owner_id = :owner AND deleted_at IS NULL ORDER BY id")
                        .bind("owner", ownerId)
                        .map(VOLUME)
                        .list());
    }

    @Override
    public List<Volume> liveOnMachine(long machineId) {
        return session.read(h -> h.createQuery(
                        "SELECT * FROM volumes WHERE machine_id = :machine AND deleted_at IS NULL ORDER BY id")
                .bind("machine", machineId)
                .map(VOLUME)
                .list());
    }

    @Override
    public boolean delete(long volumeId, String reason, Instant now) {
        return session.write(h -> h.createUpdate("""
                                UPDATE volumes SET deleted_at = :now, delete_reason = :reason
                                WHERE id = :id AND deleted_at IS NULL""")
                        .bind("now", MeterFence.at(h, session.dialect(), now))
                        .bind("reason", reason)
                        .bind("id", volumeId)
                        .execute()
                == 1);
    }

    @Override
    public void mount(long instanceId, long volumeId, String mountPath) {
        session.write(h -> h.createUpdate(
                        "INSERT INTO instance_volumes (instance_id, volume_id, mount_path) VALUES (:i, :v, :p)")
                .bind("i", instanceId)
                .bind("v", volumeId)
                .bind("p", mountPath)
                .execute());
    }

    @Override
    public Map<Long, List<Mount>> mountsOf(Collection<Long> instanceIds) {
        Map<Long, List<Mount>> out = new LinkedHashMap<>();
        if (instanceIds.isEmpty()) return out;
        session.read(h -> h.createQuery(
                        "SELECT * FROM instance_volumes WHERE instance_id IN (<ids>) ORDER BY instance_id, volume_id")
                .bindList("ids", List.copyOf(instanceIds))
                .map((rs, ctx) -> out.computeIfAbsent(rs.getLong("instance_id"), id -> new ArrayList<>())
                        .add(new Mount(rs.getLong("instance_id"), rs.getLong("volume_id"), rs.getString("mount_path"))))
                .list());
        return out;
    }

    @Override
    public List<Long> attachedTo(long volumeId) {
        return session.read(
                h -> h.createQuery("""
                        SELECT i.id FROM instance_volumes iv JOIN instances i ON i.id = iv.instance_id
                        WHERE iv.volume_id = :v AND i.destroyed_at IS NULL ORDER BY i.id""").bind("v", volumeId).mapTo(Long.class).list());
    }

    @Override
    public long move(long volumeId, long machineId, long offerId, long pricePerGbMonth, Instant at, String reason) {
        return session.write(h -> {
            long past = h.createQuery("""
                            INSERT INTO volumes (owner_id, machine_id, offer_id, name, size_gb, price_per_gb_month,
                                                 created_at, deleted_at, delete_reason, unpaid_since, moved_as)
                            SELECT owner_id, machine_id, offer_id, name, size_gb, price_per_gb_month, created_at,
                                   :at, :reason, unpaid_since, id
                            FROM volumes WHERE id = :id AND deleted_at IS NULL RETURNING id""")
                    .bind("at", at.toEpochMilli())
                    .bind("reason", reason)
                    .bind("id", volumeId)
                    .mapTo(Long.class)
                    .findOne()
                    .orElseThrow(() -> new IllegalStateException("volume " + volumeId + " is not live"));
            h.createUpdate("""
                            UPDATE volumes SET machine_id = :machine, offer_id = :offer, price_per_gb_month = :price,
                                               created_at = :at WHERE id = :id""")
                    .bind("machine", machineId)
                    .bind("offer", offerId)
                    .bind("price", pricePerGbMonth)
                    .bind("at", at.toEpochMilli())
                    .bind("id", volumeId)
                    .execute();
            return past;
        });
    }

    @Override
    public List<Volume> pastPlacements(long volumeId) {
        return session.read(h -> h.createQuery("SELECT * FROM volumes WHERE moved_as = :v ORDER BY id")
                .bind("v", volumeId)
                .map(VOLUME)
                .list());
    }

    @Override
    public List<Volume> liveBetween(Instant from, Instant to) {
        return session.read(h -> h.createQuery("""
                        SELECT * FROM volumes WHERE created_at < :to AND (deleted_at IS NULL OR deleted_at > :from)
                        ORDER BY id""")
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map(VOLUME)
                .list());
    }

    @Override
    public List<Volume> ofOwner(long ownerId, Instant from, Instant to) {
        return session.read(h -> h.createQuery("""
                        SELECT * FROM volumes WHERE owner_id = :owner AND created_at <= :to
                        AND (deleted_at IS NULL OR deleted_at >= :from) ORDER BY id""")
                .bind("owner", ownerId)
                .bind("from", from.toEpochMilli())
                .bind("to", to.toEpochMilli())
                .map(VOLUME)
                .list());
    }

    @Override
    public List<Volume> liveOfOwners(Collection<Long> ownerIds) {
        if (ownerIds.isEmpty()) return List.of();
        return session.read(
                h -> h.createQuery("SELECT * FROM volumes WHERE owner_id IN (<ids>) AND deleted_at IS NULL ORDER BY id")
                        .bindList("ids", List.copyOf(ownerIds))
                        .map(VOLUME)
                        .list());
    }

    @Override
    public void markUnpaid(Collection<Long> brokeOwners, Collection<Long> paidOwners, Instant now) {
        session.write(h -> {
            if (!brokeOwners.isEmpty()) {
                h.createUpdate("""
                                UPDATE volumes SET unpaid_since = :now
                                WHERE owner_id IN (<ids>) AND deleted_at IS NULL AND unpaid_since IS NULL""")
                        .bind("now", now.toEpochMilli())
                        .bindList("ids", List.copyOf(brokeOwners))
                        .execute();
            }
            if (!paidOwners.isEmpty()) {
                h.createUpdate("""
                                UPDATE volumes SET unpaid_since = NULL
                                WHERE owner_id IN (<ids>) AND deleted_at IS NULL AND unpaid_since IS NOT NULL""").bindList("ids", List.copyOf(paidOwners)).execute();
            }
            return null;
        });
    }

    @Override
    public List<Volume> unpaidSince(Instant before) {
        return session.read(h -> h.createQuery("""
                        SELECT * FROM volumes WHERE deleted_at IS NULL AND unpaid_since IS NOT NULL
                        AND unpaid_since <= :before ORDER BY id""")
                .bind("before", before.toEpochMilli())
                .map(VOLUME)
                .list());
    }
}
