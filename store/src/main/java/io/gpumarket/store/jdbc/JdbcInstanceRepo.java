package io.gpumarket.store.jdbc;

import io.gpumarket.core.bid.BidState;
import io.gpumarket.core.instance.ActualStatus;
import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.instance.Launch;
import io.gpumarket.core.instance.Runtype;
import io.gpumarket.core.template.TemplateRef;
import io.gpumarket.store.InstanceEvent;
import io.gpumarket.store.InstanceRepo;
import io.gpumarket.store.NewInstance;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link InstanceRepo} on the {@code instances} and {@code instance_events} tables. */
final class JdbcInstanceRepo implements InstanceRepo {
    private static final RowMapper<Instance> INSTANCE = (rs, ctx) -> instance(rs);
    private static final String LIVE = "destroyed_at IS NULL";

    private final Session session;

    JdbcInstanceRepo(Session session) {
        this.session = session;
    }

    /** Created at now, or just after the meter's watermark if a tick has charged past now (see {@link MeterFence}). */
    @Override
    public Instance create(NewInstance n, Instant now) {
        // container_api_key stays empty: every instance created since V24 has a key derived from the server's secret
        // (server/…/auth/InstanceKeys), of which only the hash is stored (api_keys)
        Launch l = n.launch();
        return session.write(h -> h.createQuery("""
                        INSERT INTO instances (owner_id, machine_id, offer_id, num_gpus, image, env, onstart, args,
                            args_str, runtype, image_runtype, label, disk_gb, intended_status, cur_state, ssh_port,
                            ports, container_api_key, api_key_derived, gpu_price_per_hour, disk_price_per_gb_month,
                            inet_up_price_per_gb, inet_down_price_per_gb, end_date, platform_fee_ppm, is_bid, bid_phase,
                            image_login, created_at, updated_at)
                        VALUES (:owner, :machine, :offer, :gpus, :image, :env, :onstart, :args, :args_str, :runtype,
                            :image_runtype, :label, :disk, :intended, :intended, :ssh_port, :ports, '', TRUE, :gpu_price,
                            :disk_price, :up_price, :down_price, :end_date, :fee, :bid, :phase, :image_login, :now, :now)
                        RETURNING *""")
                .bind("owner", n.ownerId())
                .bind("machine", n.machineId())
                .bind("offer", n.offerId())
                .bind("gpus", n.numGpus())
                .bind("image", l.image())
                .bind("env", JsonColumns.env(l.env()))
                .bind("onstart", l.onstart())
                .bind("args", JsonColumns.strings(l.args()))
                .bind("args_str", l.argsStr())
                .bind("runtype", l.runtype().wire())
                .bind("image_runtype", l.imageRuntype())
                .bind("label", n.label())
                .bind("disk", n.diskGb())
                .bind("intended", n.intendedStatus().wire())
                .bind("ssh_port", n.sshPort())
                .bind("ports", JsonColumns.ports(n.ports()))
                .bind("gpu_price", n.prices().gpuPerHour())
                .bind("disk_price", n.prices().diskPerGbMonth())
                .bind("up_price", n.prices().inetUpPerGb())
                .bind("down_price", n.prices().inetDownPerGb())
                .bind("end_date", n.prices().endDate())
                .bind("fee", n.platformFeePpm())
                .bind("bid", n.bid())
                .bind(
                        "phase",
                        (n.bid() ? BidState.fresh() : BidState.HOLDS).phase().wire())
                .bind("image_login", l.imageLogin())
                .bind("now", MeterFence.at(h, session.dialect(), now))
                .map(INSTANCE)
                .one());
    }

    @Override
    public boolean setApiKeyId(long id, long apiKeyId, Instant now) {
        return session.write(
                h -> h.createUpdate("UPDATE instances SET api_key_id = :key, updated_at = :now WHERE id = :id")
                                .bind("key", apiKeyId)
                                .bind("now", now.toEpochMilli())
                                .bind("id", id)
                                .execute()
                        == 1);
    }

    @Override
    public boolean setTemplate(long id, TemplateRef t) {
        return session.write(h -> h.createUpdate("""
                                UPDATE instances SET template_id = :tid, template_hash_id = :hash, template_name = :name
                                WHERE id = :id""")
                        .bind("tid", t.id())
                        .bind("hash", t.hashId())
                        .bind("name", t.name())
                        .bind("id", id)
                        .execute()
                == 1);
    }

    @Override
    public Map<Long, TemplateRef> templatesOf(Collection<Long> ids) {
        if (ids.isEmpty()) return Map.of();
        return session.read(h -> {
            Map<Long, TemplateRef> out = new HashMap<>();
            h.createQuery("""
                            SELECT id, template_id, template_hash_id, template_name FROM instances
                            WHERE id IN (<ids>) AND template_id IS NOT NULL""")
                    .bindList("ids", List.copyOf(ids))
                    .map((rs, ctx) -> Map.entry(
                            rs.getLong("id"),
                            new TemplateRef(
                                    rs.getLong("template_id"),
                                    rs.getString("template_hash_id"),
                                    rs.getString("template_name"))))
                    .forEach(e -> out.put(e.getKey(), e.getValue()));
            return out;
        });
    }

    @Override
    public Optional<Instance> find(long id) {
        return session.read(h -> h.createQuery("SELECT * FROM instances WHERE id = :id")
                .bind("id", id)
                .map(INSTANCE)
                .findOne());
    }

    @Override
    public List<Instance> liveOnMachine(long machineId) {
        return session.read(
                h -> h.createQuery("SELECT * FROM instances WHERE machine_id = :machine AND " + LIVE + " ORDER BY id")
                        .bind("machine", machineId)
                        .map(INSTANCE)
                        .list());
    }

    @Override
    public List<Instance> liveByOwner(long ownerId) {
        return session.read(
                h -> h.createQuery("SELECT * FROM instances WHERE owner_id = :owner AND " + LIVE + " ORDER BY id")
                        .bind("owner", ownerId)
                        .map(INSTANCE)
                        .list());
    }

    @Override
    public Set<Long> machinesOfOwner(long ownerId) {
        return session.read(h -> new LinkedHashSet<>(
                h.createQuery("SELECT DISTINCT machine_id FROM instances WHERE owner_id = :owner AND " + LIVE
                                + " ORDER BY machine_id")
                        .bind("owner", ownerId)
                        .mapTo(Long.class)
                        .list()));
    }

    /** Starting clears why the server stopped it, if it did. */
    @Override
    public boolean setIntendedStatus(long id, IntendedStatus status, Instant now) {
        String clear = status == IntendedStatus.RUNNING ? ", stop_reason = NULL, credit_stopped_at = NULL" : "";
        return serverChange(id, "intended_status = :status, cur_state = :status" + clear, now, "status", status.wire());
    }

    @Override
    public boolean stopForCredit(long id, String reason, Instant now) {
        return session.write(
                h -> h.createUpdate("UPDATE instances SET intended_status = 'stopped', cur_state = 'stopped',"
                                        + " stop_reason = :reason, credit_stopped_at = :now, revision = revision + 1, updated_at = :now"
                                        + " WHERE id = :id AND intended_status = 'running' AND " + LIVE)
                                .bind("reason", reason)
                                .bind("now", now.toEpochMilli())
                                .bind("id", id)
                                .execute()
                        == 1);
    }

    @Override
    public List<Instance> runningOfOwners(java.util.Collection<Long> ownerIds) {
        if (ownerIds.isEmpty()) return List.of();
        return session.read(h -> h.createQuery("SELECT * FROM instances WHERE owner_id IN (<owners>)"
                        + " AND intended_status = 'running' AND " + LIVE + " ORDER BY id")
                .bindList("owners", List.copyOf(ownerIds))
                .map(INSTANCE)
                .list());
    }

    @Override
    public List<Instance> creditStoppedBefore(Instant cutoff) {
        return session.read(h -> h.createQuery("SELECT * FROM instances WHERE credit_stopped_at IS NOT NULL"
                        + " AND credit_stopped_at <= :cutoff AND " + LIVE + " ORDER BY id")
                .bind("cutoff", cutoff.toEpochMilli())
                .map(INSTANCE)
                .list());
    }

    @Override
    public boolean setLabel(long id, String label, Instant now) {
        return serverChange(id, "label = :label", now, "label", label);
    }

    @Override
    public boolean reboot(long id, Instant now) {
        return serverChange(id, "reboot_count = reboot_count + 1", now, null, null);
    }

    @Override
    public boolean recycle(long id, Instant now) {
        return serverChange(id, "recycle_count = recycle_count + 1", now, null, null);
    }

    @Override
    public boolean bumpRevision(long id, Instant now) {
        return serverChange(id, null, now, null, null);
    }

    @Override
    public int bumpRevisionsOfOwner(long ownerId, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE instances SET revision = revision + 1, updated_at = :now"
                        + " WHERE owner_id = :owner AND " + LIVE)
                .bind("now", now.toEpochMilli())
                .bind("owner", ownerId)
                .execute());
    }

    @Override
    public boolean setBidState(long id, BidState b, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE instances SET bid_phase = :phase, bid_reason = :reason,"
                                + " bid_since = :since, notice_until = :until, last_preempt_reason = :last,"
                                + " last_preempted_at = :last_at, revision = revision + 1, updated_at = :now WHERE id = :id AND "
                                + LIVE)
                        .bind("phase", b.phase().wire())
                        .bind("reason", b.reason())
                        .bind("since", Columns.millis(b.since()))
                        .bind("until", Columns.millis(b.noticeUntil()))
                        .bind("last", b.lastReason())
                        .bind("last_at", Columns.millis(b.lastAt()))
                        .bind("now", now.toEpochMilli())
                        .bind("id", id)
                        .execute()
                == 1);
    }

    /**
     * The contract's frozen price stays; the new bid is kept beside it and recorded as a price event at a fenced time
     * (see {@link MeterFence}), from which billing charges it.
     */
    @Override
    public boolean setBid(long id, long perGpuHour, Instant now) {
        return session.write(h -> {
            long at = MeterFence.at(h, session.dialect(), now);
            int changed = h.createUpdate("UPDATE instances SET bid_per_gpu_hour = :price, revision = revision + 1,"
                            + " updated_at = :now WHERE id = :id AND is_bid = :bid AND " + LIVE)
                    .bind("price", perGpuHour)
                    .bind("now", now.toEpochMilli())
                    .bind("id", id)
                    .bind("bid", true)
                    .execute();
            if (changed == 1) {
                h.createUpdate(
                                "INSERT INTO instance_events (instance_id, at, actual_status, gpu_price) VALUES (:id, :at, NULL, :price)")
                        .bind("id", id)
                        .bind("at", at)
                        .bind("price", perGpuHour)
                        .execute();
            }
            return changed == 1;
        });
    }

    /**
     * An accepted price increase: as a changed bid, the new GPU price is kept beside the frozen one (the column is
     * named for bids, which used it first) and recorded as a price event at a fenced time, from which billing charges
     * it; for an on-demand contract of a live instance only.
     */
    @Override
    public boolean reprice(long id, long perGpuHour, Instant now) {
        return session.write(h -> {
            long at = MeterFence.at(h, session.dialect(), now);
            // the revision stays: nothing the agent does depends on the price
            int changed = h.createUpdate("UPDATE instances SET bid_per_gpu_hour = :price, updated_at = :now"
                            + " WHERE id = :id AND is_bid = :bid AND " + LIVE)
                    .bind("price", perGpuHour)
                    .bind("now", now.toEpochMilli())
                    .bind("id", id)
                    .bind("bid", false)
                    .execute();
            if (changed == 1) {
                h.createUpdate(
                                "INSERT INTO instance_events (instance_id, at, actual_status, gpu_price) VALUES (:id, :at, NULL, :price)")
                        .bind("id", id)
                        .bind("at", at)
                        .bind("price", perGpuHour)
                        .execute();
            }
            return changed == 1;
        });
    }

    @Override
    public List<Instance> liveBids() {
        return session.read(
                h -> h.createQuery("SELECT * FROM instances WHERE is_bid = :bid AND " + LIVE + " ORDER BY id")
                        .bind("bid", true)
                        .map(INSTANCE)
                        .list());
    }

    @Override
    public Set<Long> machinesWithNoticeUntil(Instant cutoff) {
        return session.read(h -> new LinkedHashSet<>(h.createQuery("SELECT DISTINCT machine_id FROM instances"
                        + " WHERE notice_until IS NOT NULL AND notice_until <= :cutoff AND " + LIVE
                        + " ORDER BY machine_id")
                .bind("cutoff", cutoff.toEpochMilli())
                .mapTo(Long.class)
                .list()));
    }

    /**
     * Conditional on destroyed_at, so of racing destroys one wins and the event is written once. destroyed_at and
     * the event share one fenced time (storage and GPU time end together).
     */
    @Override
    public boolean markDestroyed(long id, Instant now) {
        return session.write(h -> {
            long at = MeterFence.at(h, session.dialect(), now);
            int changed = h.createUpdate("UPDATE instances SET destroyed_at = :at, cur_state = 'unloaded',"
                            + " revision = revision + 1, updated_at = :at WHERE id = :id AND " + LIVE)
                    .bind("at", at)
                    .bind("id", id)
                    .execute();
            if (changed == 1) event(h, id, at, "destroyed");
            return changed == 1;
        });
    }

    /**
     * The status update is conditional on the status differing, so when two reports of the same change race only
     * one writes the event; the other fields are copied either way. The event is recorded at a fenced time (see
     * {@link MeterFence}).
     */
    @Override
    public Applied applyReport(long id, long machineId, AgentState s, Boolean hostFault, Instant now) {
        return session.write(h -> {
            // the meter lock before the row lock, the order every writer takes them in
            long at = MeterFence.at(h, session.dialect(), now);
            String where = " WHERE id = :id AND machine_id = :machine AND " + LIVE;
            int changed = agentFields(
                            h.createUpdate("UPDATE instances SET actual_status = :status, " + AGENT_FIELDS + where
                                    + " AND actual_status IS DISTINCT FROM :status"),
                            id,
                            machineId,
                            s,
                            now)
                    .bind(
                            "status",
                            s.actualStatus() == null ? null : s.actualStatus().wire())
                    .execute();
            if (changed == 1) {
                h.createUpdate(
                                "INSERT INTO instance_events (instance_id, at, actual_status, host_fault) VALUES (:id, :at, :status, :fault)")
                        .bind("id", id)
                        .bind("at", at)
                        .bind(
                                "status",
                                s.actualStatus() == null
                                        ? null
                                        : s.actualStatus().wire())
                        .bind("fault", hostFault)
                        .execute();
                return Applied.STATUS_CHANGED;
            }
            int updated = agentFields(
                            h.createUpdate("UPDATE instances SET " + AGENT_FIELDS + where), id, machineId, s, now)
                    .execute();
            return updated == 1 ? Applied.UPDATED : Applied.NO_SUCH_INSTANCE;
        });
    }

    @Override
    public List<InstanceEvent> events(long instanceId) {
        return session.read(h -> h.createQuery(
                        "SELECT instance_id, at, actual_status FROM instance_events WHERE instance_id = :id"
                                + " AND gpu_price IS NULL ORDER BY id")
                .bind("id", instanceId)
                .map((rs, ctx) -> new InstanceEvent(
                        rs.getLong("instance_id"), Columns.instant(rs, "at"), rs.getString("actual_status")))
                .list());
    }

    private static final String AGENT_FIELDS =
            "status_msg = :msg, disk_usage_gb = :disk, cpu_util = :cpu," + " started_at = :started, updated_at = :now";

    private static org.jdbi.v3.core.statement.Update agentFields(
            org.jdbi.v3.core.statement.Update u, long id, long machineId, AgentState s, Instant now) {
        return u.bind("msg", s.statusMsg())
                .bind("disk", s.diskUsageGb())
                .bind("cpu", s.cpuUtil())
                .bind("started", Columns.millis(s.startedAt()))
                .bind("now", now.toEpochMilli())
                .bind("id", id)
                .bind("machine", machineId);
    }

    /** A change the agent must act on: applies {@code set} (if any) to a live instance and adds one to its revision. */
    private boolean serverChange(long id, String set, Instant now, String name, Object value) {
        return session.write(h -> {
            var update = h.createUpdate("UPDATE instances SET " + (set == null ? "" : set + ", ")
                            + "revision = revision + 1, updated_at = :now WHERE id = :id AND " + LIVE)
                    .bind("now", now.toEpochMilli())
                    .bind("id", id);
            if (name != null) update.bind(name, value);
            return update.execute() == 1;
        });
    }

    private static void event(Handle h, long id, long atMillis, String status) {
        h.createUpdate("INSERT INTO instance_events (instance_id, at, actual_status) VALUES (:id, :at, :status)")
                .bind("id", id)
                .bind("at", atMillis)
                .bind("status", status)
                .execute();
    }

    /**
     * A stored {@code actual_status}: null while the agent has reported nothing. Reports are checked against the
     * reportable statuses before they are stored; a value none names (a row written by hand) reads as unknown
     * rather than failing every list it is in.
     */
    private static ActualStatus actualStatus(String stored) {
        return stored == null ? null : ActualStatus.fromWire(stored).orElse(ActualStatus.UNKNOWN);
    }

    private static Instance instance(ResultSet rs) throws SQLException {
        Launch launch = new Launch(
                rs.getString("image"),
                JsonColumns.env(rs.getString("env")),
                rs.getString("onstart"),
                JsonColumns.strings(rs.getString("args")),
                rs.getString("args_str"),
                Runtype.fromWire(rs.getString("runtype")),
                rs.getString("image_runtype"),
                rs.getString("image_login"));
        AgentState agent = new AgentState(
                actualStatus(rs.getString("actual_status")),
                rs.getString("status_msg"),
                nullableDouble(rs, "disk_usage_gb"),
                nullableDouble(rs, "cpu_util"),
                Columns.nullableInstant(rs, "started_at"));
        // a changed bid is the GPU price the instance pays now (billing reads the frozen one and the change events)
        long bidNow = rs.getLong("bid_per_gpu_hour");
        long gpuPrice = rs.wasNull() ? rs.getLong("gpu_price_per_hour") : bidNow;
        ContractPrices prices = new ContractPrices(
                gpuPrice,
                rs.getLong("disk_price_per_gb_month"),
                rs.getLong("inet_up_price_per_gb"),
                rs.getLong("inet_down_price_per_gb"),
                rs.getLong("end_date"));
        long apiKeyId = rs.getLong("api_key_id");
        Long apiKey = rs.wasNull() ? null : apiKeyId;
        return new Instance(
                rs.getLong("id"),
                rs.getLong("owner_id"),
                rs.getLong("machine_id"),
                rs.getLong("offer_id"),
                rs.getInt("num_gpus"),
                launch,
                rs.getString("label"),
                rs.getDouble("disk_gb"),
                IntendedStatus.fromWire(rs.getString("intended_status")).orElseThrow(),
                rs.getString("cur_state"),
                agent,
                rs.getInt("ssh_port"),
                JsonColumns.ports(rs.getString("ports")),
                rs.getBoolean("api_key_derived"),
                apiKey,
                prices,
                rs.getLong("revision"),
                rs.getLong("reboot_count"),
                rs.getLong("recycle_count"),
                Columns.instant(rs, "created_at"),
                Columns.nullableInstant(rs, "destroyed_at"),
                Columns.instant(rs, "updated_at"),
                rs.getString("stop_reason"),
                rs.getBoolean("is_bid"),
                bidState(rs));
    }

    private static BidState bidState(ResultSet rs) throws SQLException {
        BidState.Phase phase = BidState.Phase.fromWire(rs.getString("bid_phase"));
        String reason = rs.getString("bid_reason");
        String last = rs.getString("last_preempt_reason");
        if (phase == BidState.Phase.HOLDING && reason == null && last == null) return BidState.HOLDS;
        return new BidState(
                phase,
                reason,
                Columns.nullableInstant(rs, "bid_since"),
                Columns.nullableInstant(rs, "notice_until"),
                last,
                Columns.nullableInstant(rs, "last_preempted_at"));
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
