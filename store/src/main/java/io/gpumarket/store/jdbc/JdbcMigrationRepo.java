package io.gpumarket.store.jdbc;

import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.migrate.Migration;
import io.gpumarket.core.migrate.MigrationState;
import io.gpumarket.store.MigrationRepo;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link MigrationRepo} on {@code instance_migrations} and {@code contract_moves} (V60). */
final class JdbcMigrationRepo implements MigrationRepo {
    private static final String COLUMNS = "id, instance_id, owner_id, from_machine, to_machine, to_offer, num_gpus,"
            + " to_ssh_port, to_ports, gpu_price_per_hour, disk_price_per_gb_month, inet_up_price_per_gb,"
            + " inet_down_price_per_gb, end_date, platform_fee_ppm, was_running, state, copy_id, archive_id, message,"
            + " requested_at, last_progress_at, copied_at, started_at, ended_at, reason, stop_at";
    private static final String UNFINISHED = "ended_at IS NULL";

    private static final RowMapper<Row> ROW = (rs, ctx) -> new Row(
            rs.getLong("id"),
            new Migration(
                    rs.getLong("instance_id"),
                    rs.getLong("from_machine"),
                    rs.getLong("to_machine"),
                    MigrationState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                    Columns.instant(rs, "requested_at"),
                    Columns.nullableInstant(rs, "last_progress_at"),
                    Columns.nullableInstant(rs, "copied_at"),
                    Columns.nullableInstant(rs, "started_at"),
                    Columns.nullableInstant(rs, "ended_at"),
                    rs.getString("reason"),
                    Columns.nullableInstant(rs, "stop_at")),
            rs.getLong("owner_id"),
            rs.getLong("to_offer"),
            rs.getInt("num_gpus"),
            rs.getInt("to_ssh_port"),
            JsonColumns.ports(rs.getString("to_ports")),
            new ContractPrices(
                    rs.getLong("gpu_price_per_hour"),
                    rs.getLong("disk_price_per_gb_month"),
                    rs.getLong("inet_up_price_per_gb"),
                    rs.getLong("inet_down_price_per_gb"),
                    rs.getLong("end_date")),
            rs.getInt("platform_fee_ppm"),
            rs.getBoolean("was_running"),
            nullableLong(rs, "copy_id"),
            nullableLong(rs, "archive_id"),
            rs.getString("message"));

    private final Session session;
    /** The instances table's columns but id, read once from the database (the archive row copies them all). */
    private volatile List<String> instanceColumns;

    JdbcMigrationRepo(Session session) {
        this.session = session;
    }

    @Override
    public long create(
            long instanceId,
            long ownerId,
            long fromMachine,
            long toMachine,
            long toOffer,
            int numGpus,
            ContractPrices prices,
            int platformFeePpm,
            boolean wasRunning,
            Instant stopAt,
            String message,
            Instant now) {
        return session.write(h -> h.createQuery("INSERT INTO instance_migrations (instance_id, owner_id, from_machine,"
                        + " to_machine, to_offer, num_gpus, to_ssh_port, to_ports, gpu_price_per_hour,"
                        + " disk_price_per_gb_month, inet_up_price_per_gb, inet_down_price_per_gb, end_date,"
                        + " platform_fee_ppm, was_running, state, message, requested_at, stop_at) VALUES (:instance,"
                        + " :owner, :from, :to, :offer, :gpus, 0, '{}', :gpu, :disk, :up, :down, :end, :fee, :running,"
                        + " :state, :message, :now, :stopAt) RETURNING id")
                .bind("instance", instanceId)
                .bind("owner", ownerId)
                .bind("from", fromMachine)
                .bind("to", toMachine)
                .bind("offer", toOffer)
                .bind("gpus", numGpus)
                .bind("gpu", prices.gpuPerHour())
                .bind("disk", prices.diskPerGbMonth())
                .bind("up", prices.inetUpPerGb())
                .bind("down", prices.inetDownPerGb())
                .bind("end", prices.endDate())
                .bind("fee", platformFeePpm)
                .bind("running", wasRunning)
                .bind("state", MigrationState.RESERVED.wire())
                .bind("message", message)
                .bind("now", now.toEpochMilli())
                .bind("stopAt", Columns.millis(stopAt))
                .mapTo(Long.class)
                .one());
    }

    @Override
    public Optional<Row> find(long id) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_migrations WHERE id = :id")
                .bind("id", id)
                .map(ROW)
                .findOne());
    }

    @Override
    public Optional<Row> unfinishedOf(long instanceId) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_migrations WHERE instance_id = :i"
                        + " AND " + UNFINISHED + " ORDER BY id DESC")
                .bind("i", instanceId)
                .map(ROW)
                .findFirst());
    }

    @Override
    public List<Row> unfinished() {
        return session.read(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM instance_migrations WHERE " + UNFINISHED + " ORDER BY id")
                .map(ROW)
                .list());
    }

    @Override
    public List<Row> unfinishedTouching(long machineId) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM instance_migrations WHERE " + UNFINISHED
                        + " AND (from_machine = :m OR to_machine = :m) ORDER BY id")
                .bind("m", machineId)
                .map(ROW)
                .list());
    }

    @Override
    public List<Row> ofInstance(long instanceId, int limit) {
        return session.read(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM instance_migrations WHERE instance_id = :i ORDER BY id DESC LIMIT :limit")
                .bind("i", instanceId)
                .bind("limit", limit)
                .map(ROW)
                .list());
    }

    @Override
    public boolean save(
            long id, MigrationState expected, Migration m, Long copyId, Long archiveId, String message, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE instance_migrations SET state = :state,"
                                + " last_progress_at = :progress, copied_at = :copied, started_at = :started,"
                                + " ended_at = :ended, reason = :reason, copy_id = COALESCE(:copy, copy_id),"
                                + " archive_id = COALESCE(:archive, archive_id), message = COALESCE(:message, message)"
                                + " WHERE id = :id AND state = :expected")
                        .bind("state", m.state().wire())
                        .bind("progress", Columns.millis(m.lastProgressAt()))
                        .bind("copied", Columns.millis(m.copiedAt()))
                        .bind("started", Columns.millis(m.startedAt()))
                        .bind("ended", Columns.millis(m.endedAt()))
                        .bind("reason", m.reason())
                        .bind("copy", copyId)
                        .bind("archive", archiveId)
                        .bind("message", message)
                        .bind("id", id)
                        .bind("expected", expected.wire())
                        .execute()
                == 1);
    }

    @Override
    public boolean progress(long id, String message, Instant progressAt, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE instance_migrations SET message = :message,"
                                + " last_progress_at = COALESCE(:progress, last_progress_at) WHERE id = :id AND "
                                + UNFINISHED)
                        .bind("message", message)
                        .bind("progress", Columns.millis(progressAt))
                        .bind("id", id)
                        .execute()
                == 1);
    }

    @Override
    public boolean setDestinationPorts(long id, int sshPort, Map<String, Integer> ports) {
        return session.write(h ->
                h.createUpdate("UPDATE instance_migrations SET to_ssh_port = :ssh, to_ports = :ports WHERE id = :id")
                                .bind("ssh", sshPort)
                                .bind("ports", JsonColumns.ports(ports))
                                .bind("id", id)
                                .execute()
                        == 1);
    }

    @Override
    public Moved moveContract(long instanceId, Placement to, String intended, String statusMsg, Instant now) {
        return session.write(h -> {
            long at = MeterFence.at(h, session.dialect(), now);
            List<String> cols = instanceColumns(h);
            String list = String.join(", ", cols);
            long archive = h.createQuery("INSERT INTO instances (" + list + ") SELECT " + list
                            + " FROM instances WHERE id = :id AND destroyed_at IS NULL RETURNING id")
                    .bind("id", instanceId)
                    .mapTo(Long.class)
                    .findOne()
                    .orElseThrow(() -> new IllegalStateException("instance " + instanceId + " is not live"));
            // the archive: the old placement's contract, ended now; never live, never the renter's to act on
            h.createUpdate("UPDATE instances SET destroyed_at = :at, cur_state = 'unloaded', intended_status ="
                            + " 'stopped', api_key_id = NULL, status_msg = :msg, updated_at = :at WHERE id = :a")
                    .bind("at", at)
                    .bind("msg", "instance " + instanceId + " moved to machine " + to.machineId())
                    .bind("a", archive)
                    .execute();
            h.createUpdate("UPDATE instance_events SET instance_id = :a WHERE instance_id = :id")
                    .bind("a", archive)
                    .bind("id", instanceId)
                    .execute();
            h.createUpdate("UPDATE traffic_samples SET instance_id = :a WHERE instance_id = :id")
                    .bind("a", archive)
                    .bind("id", instanceId)
                    .execute();
            h.createUpdate("INSERT INTO instance_events (instance_id, at, actual_status) VALUES (:a, :at, 'destroyed')")
                    .bind("a", archive)
                    .bind("at", at)
                    .execute();
            // the instance: a new contract on the destination from now, everything the renter set kept
            int moved = h.createUpdate("UPDATE instances SET machine_id = :machine, offer_id = :offer, ssh_port = :ssh,"
                            + " ports = :ports, gpu_price_per_hour = :gpu, disk_price_per_gb_month = :disk,"
                            + " inet_up_price_per_gb = :up, inet_down_price_per_gb = :down, end_date = :end,"
                            + " platform_fee_ppm = :fee, is_bid = :bid, bid_per_gpu_hour = :bidPrice,"
                            + " bid_phase = 'holding', bid_reason = NULL, bid_since = NULL, notice_until = NULL,"
                            + " created_at = :at, started_at = NULL, actual_status = NULL, status_msg = :msg,"
                            + " disk_usage_gb = NULL, cpu_util = NULL, intended_status = :intended,"
                            + " cur_state = :intended, stop_reason = NULL, credit_stopped_at = NULL,"
                            + " revision = revision + 1, updated_at = :at WHERE id = :id AND destroyed_at IS NULL")
                    .bind("machine", to.machineId())
                    .bind("offer", to.offerId())
                    .bind("ssh", to.sshPort())
                    .bind("ports", JsonColumns.ports(to.ports()))
                    .bind("gpu", to.prices().gpuPerHour())
                    .bind("disk", to.prices().diskPerGbMonth())
                    .bind("up", to.prices().inetUpPerGb())
                    .bind("down", to.prices().inetDownPerGb())
                    .bind("end", to.prices().endDate())
                    .bind("fee", to.platformFeePpm())
                    .bind("bid", to.bid())
                    .bind("bidPrice", to.bidPerGpuHour())
                    .bind("at", at)
                    .bind("msg", statusMsg)
                    .bind("intended", intended)
                    .bind("id", instanceId)
                    .execute();
            if (moved != 1) throw new IllegalStateException("instance " + instanceId + " is not live");
            h.createUpdate("INSERT INTO contract_moves (instance_id, archive_id, at) VALUES (:id, :a, :at)")
                    .bind("id", instanceId)
                    .bind("a", archive)
                    .bind("at", at)
                    .execute();
            return new Moved(archive, Instant.ofEpochMilli(at));
        });
    }

    @Override
    public Optional<Placement> placementOf(long instanceId) {
        return session.read(h -> h.createQuery("SELECT machine_id, offer_id, ssh_port, ports, gpu_price_per_hour,"
                        + " disk_price_per_gb_month, inet_up_price_per_gb, inet_down_price_per_gb, end_date,"
                        + " platform_fee_ppm, is_bid, bid_per_gpu_hour FROM instances WHERE id = :id")
                .bind("id", instanceId)
                .map((rs, ctx) -> new Placement(
                        rs.getLong("machine_id"),
                        rs.getLong("offer_id"),
                        rs.getInt("ssh_port"),
                        JsonColumns.ports(rs.getString("ports")),
                        new ContractPrices(
                                rs.getLong("gpu_price_per_hour"),
                                rs.getLong("disk_price_per_gb_month"),
                                rs.getLong("inet_up_price_per_gb"),
                                rs.getLong("inet_down_price_per_gb"),
                                rs.getLong("end_date")),
                        rs.getInt("platform_fee_ppm"),
                        rs.getBoolean("is_bid"),
                        nullableLong(rs, "bid_per_gpu_hour")))
                .findOne());
    }

    @Override
    public List<Long> archivesOf(long instanceId) {
        return session.read(
                h -> h.createQuery("SELECT archive_id FROM contract_moves WHERE instance_id = :i ORDER BY id")
                        .bind("i", instanceId)
                        .mapTo(Long.class)
                        .list());
    }

    @Override
    public long lastMove() {
        return session.read(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM contract_moves")
                .mapTo(Long.class)
                .one());
    }

    /** The instances table's columns but {@code id}, as the database has them (every migration's additions). */
    private List<String> instanceColumns(Handle h) {
        List<String> cols = instanceColumns;
        if (cols != null) return cols;
        List<String> found = new ArrayList<>();
        try {
            DatabaseMetaData meta = h.getConnection().getMetaData();
            for (String table : List.of("instances", "INSTANCES")) {
                try (ResultSet rs = meta.getColumns(null, null, table, null)) {
                    while (rs.next()) {
                        String c = rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
                        if (!c.equals("id") && !found.contains(c)) found.add(c);
                    }
                }
                if (!found.isEmpty()) break;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the instances table's columns", e);
        }
        if (!found.contains("machine_id")) throw new IllegalStateException("no instances table columns found");
        instanceColumns = List.copyOf(found);
        return instanceColumns;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
