package io.gpumarket.store.jdbc;

import io.gpumarket.core.serverless.EndpointSettings;
import io.gpumarket.store.ServerlessRepo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.SqlStatement;

/** {@link ServerlessRepo} on the tables of {@code V52__serverless.sql}. */
final class JdbcServerlessRepo implements ServerlessRepo {
    private static final RowMapper<Endpoint> ENDPOINT = (rs, ctx) -> new Endpoint(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getString("name"),
            new EndpointSettings(
                    rs.getDouble("min_load"),
                    rs.getDouble("min_cold_load"),
                    rs.getDouble("target_util"),
                    rs.getDouble("cold_mult"),
                    rs.getInt("cold_workers"),
                    rs.getInt("max_workers"),
                    nullableDouble(rs, "max_queue_time"),
                    nullableDouble(rs, "target_queue_time"),
                    nullableDouble(rs, "inactivity_timeout"),
                    rs.getString("state")),
            rs.getString("report_addr"),
            Instant.ofEpochMilli(rs.getLong("created_at")));
    private static final RowMapper<Workergroup> GROUP = (rs, ctx) -> new Workergroup(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getLong("endpoint_id"),
            rs.getString("template_hash"),
            rs.getString("image"),
            rs.getString("env"),
            rs.getString("search_params"),
            rs.getString("launch_args"),
            nullableDouble(rs, "gpu_ram"),
            rs.getInt("test_workers"),
            rs.getString("settings"),
            Instant.ofEpochMilli(rs.getLong("created_at")));
    private static final RowMapper<Worker> WORKER = (rs, ctx) -> new Worker(
            rs.getLong("instance_id"),
            rs.getLong("endpoint_id"),
            rs.getLong("workergroup_id"),
            rs.getLong("user_id"),
            Instant.ofEpochMilli(rs.getLong("created_at")));
    private static final RowMapper<LogLine> LOG = (rs, ctx) -> new LogLine(
            rs.getLong("id"),
            rs.getLong("endpoint_id"),
            nullableLong(rs, "workergroup_id"),
            Instant.ofEpochMilli(rs.getLong("at")),
            rs.getString("line"));
    private static final RowMapper<Deployment> DEPLOYMENT = (rs, ctx) -> new Deployment(
            rs.getLong("id"),
            rs.getLong("user_id"),
            rs.getString("name"),
            rs.getString("tag"),
            rs.getString("image"),
            rs.getString("file_hash"),
            rs.getLong("file_size"),
            rs.getString("env"),
            rs.getString("search_params"),
            rs.getDouble("storage"),
            nullableDouble(rs, "ttl"),
            nullableLong(rs, "endpoint_id"),
            nullableLong(rs, "workergroup_id"),
            rs.getInt("version"),
            Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("updated_at")));

    private final Session session;

    JdbcServerlessRepo(Session session) {
        this.session = session;
    }

    private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static <S extends SqlStatement<S>> S settings(S st, EndpointSettings s) {
        return st.bind("min_load", s.minLoad())
                .bind("min_cold_load", s.minColdLoad())
                .bind("target_util", s.targetUtil())
                .bind("cold_mult", s.coldMult())
                .bind("cold_workers", s.coldWorkers())
                .bind("max_workers", s.maxWorkers())
                .bind("max_queue_time", s.maxQueueTime())
                .bind("target_queue_time", s.targetQueueTime())
                .bind("inactivity_timeout", s.inactivityTimeout())
                .bind("state", s.state());
    }

    @Override
    public Optional<Endpoint> addEndpoint(
            long userId, String name, EndpointSettings s, String reportAddr, Instant now) {
        return session.write(h -> settings(h.createQuery("""
                        INSERT INTO endpoints (user_id, name, min_load, min_cold_load, target_util, cold_mult,
                            cold_workers, max_workers, max_queue_time, target_queue_time, inactivity_timeout, state,
                            report_addr, created_at)
                        VALUES (:user, :name, :min_load, :min_cold_load, :target_util, :cold_mult, :cold_workers,
                            :max_workers, :max_queue_time, :target_queue_time, :inactivity_timeout, :state,
                            :report_addr, :now)
                        ON CONFLICT (user_id, name) DO NOTHING RETURNING *"""), s)
                .bind("user", userId)
                .bind("name", name)
                .bind("report_addr", reportAddr)
                .bind("now", now.toEpochMilli())
                .map(ENDPOINT)
                .findOne());
    }

    @Override
    public Optional<Endpoint> endpoint(long id) {
        return session.read(h -> h.createQuery("SELECT * FROM endpoints WHERE id = :id")
                .bind("id", id)
                .map(ENDPOINT)
                .findOne());
    }

    @Override
    public List<Endpoint> endpointsOf(long userId) {
        return session.read(h -> h.createQuery("SELECT * FROM endpoints WHERE user_id = :user ORDER BY id")
                .bind("user", userId)
                .map(ENDPOINT)
                .list());
    }

    @Override
    public List<Endpoint> endpointsNamed(String name) {
        return session.read(h -> h.createQuery("SELECT * FROM endpoints WHERE name = :name ORDER BY id")
                .bind("name", name)
                .map(ENDPOINT)
                .list());
    }

    @Override
    public List<Endpoint> allEndpoints() {
        return session.read(h -> h.createQuery("SELECT * FROM endpoints ORDER BY id")
                .map(ENDPOINT)
                .list());
    }

    @Override
    public boolean updateEndpoint(long id, String name, EndpointSettings s) {
        return session.write(h -> settings(h.createUpdate("""
                        UPDATE endpoints SET name = :name, min_load = :min_load, min_cold_load = :min_cold_load,
                            target_util = :target_util, cold_mult = :cold_mult, cold_workers = :cold_workers,
                            max_workers = :max_workers, max_queue_time = :max_queue_time,
                            target_queue_time = :target_queue_time, inactivity_timeout = :inactivity_timeout,
                            state = :state
                        WHERE id = :id"""), s)
                        .bind("id", id)
                        .bind("name", name)
                        .execute()
                == 1);
    }

    @Override
    public boolean removeEndpoint(long id) {
        return session.write(h -> {
            h.createUpdate("DELETE FROM serverless_workers WHERE endpoint_id = :id")
                    .bind("id", id)
                    .execute();
            h.createUpdate("DELETE FROM workergroups WHERE endpoint_id = :id")
                    .bind("id", id)
                    .execute();
            h.createUpdate("DELETE FROM endpoint_logs WHERE endpoint_id = :id")
                    .bind("id", id)
                    .execute();
            h.createUpdate("UPDATE deployments SET endpoint_id = NULL, workergroup_id = NULL WHERE endpoint_id = :id")
                    .bind("id", id)
                    .execute();
            return h.createUpdate("DELETE FROM endpoints WHERE id = :id")
                            .bind("id", id)
                            .execute()
                    == 1;
        });
    }

    @Override
    public Workergroup addWorkergroup(Workergroup g, Instant now) {
        return session.write(h -> h.createQuery("""
                        INSERT INTO workergroups (user_id, endpoint_id, template_hash, image, env, search_params,
                            launch_args, gpu_ram, test_workers, settings, created_at)
                        VALUES (:user, :endpoint, :template_hash, :image, :env, :search_params, :launch_args,
                            :gpu_ram, :test_workers, :settings, :now)
                        RETURNING *""")
                .bind("user", g.userId())
                .bind("endpoint", g.endpointId())
                .bind("template_hash", g.templateHash())
                .bind("image", g.image())
                .bind("env", g.env())
                .bind("search_params", g.searchParams())
                .bind("launch_args", g.launchArgs())
                .bind("gpu_ram", g.gpuRam())
                .bind("test_workers", g.testWorkers())
                .bind("settings", g.settings())
                .bind("now", now.toEpochMilli())
                .map(GROUP)
                .one());
    }

    @Override
    public Optional<Workergroup> workergroup(long id) {
        return session.read(h -> h.createQuery("SELECT * FROM workergroups WHERE id = :id")
                .bind("id", id)
                .map(GROUP)
                .findOne());
    }

    @Override
    public List<Workergroup> workergroupsOf(long userId) {
        return session.read(h -> h.createQuery("SELECT * FROM workergroups WHERE user_id = :user ORDER BY id")
                .bind("user", userId)
                .map(GROUP)
                .list());
    }

    @Override
    public List<Workergroup> workergroupsOfEndpoint(long endpointId) {
        return session.read(h -> h.createQuery("SELECT * FROM workergroups WHERE endpoint_id = :e ORDER BY id")
                .bind("e", endpointId)
                .map(GROUP)
                .list());
    }

    @Override
    public boolean updateWorkergroup(Workergroup g) {
        return session.write(h -> h.createUpdate("""
                        UPDATE workergroups SET endpoint_id = :endpoint, template_hash = :template_hash, image = :image,
                            env = :env, search_params = :search_params, launch_args = :launch_args, gpu_ram = :gpu_ram,
                            test_workers = :test_workers, settings = :settings
                        WHERE id = :id""")
                        .bind("id", g.id())
                        .bind("endpoint", g.endpointId())
                        .bind("template_hash", g.templateHash())
                        .bind("image", g.image())
                        .bind("env", g.env())
                        .bind("search_params", g.searchParams())
                        .bind("launch_args", g.launchArgs())
                        .bind("gpu_ram", g.gpuRam())
                        .bind("test_workers", g.testWorkers())
                        .bind("settings", g.settings())
                        .execute()
                == 1);
    }

    @Override
    public boolean removeWorkergroup(long id) {
        return session.write(h -> {
            h.createUpdate("DELETE FROM serverless_workers WHERE workergroup_id = :id")
                    .bind("id", id)
                    .execute();
            return h.createUpdate("DELETE FROM workergroups WHERE id = :id")
                            .bind("id", id)
                            .execute()
                    == 1;
        });
    }

    @Override
    public void addWorker(Worker w) {
        session.write(h -> h.createUpdate("""
                        INSERT INTO serverless_workers (instance_id, endpoint_id, workergroup_id, user_id, created_at)
                        VALUES (:instance, :endpoint, :group, :user, :now)""")
                .bind("instance", w.instanceId())
                .bind("endpoint", w.endpointId())
                .bind("group", w.workergroupId())
                .bind("user", w.userId())
                .bind("now", w.createdAt().toEpochMilli())
                .execute());
    }

    @Override
    public Optional<Worker> worker(long instanceId) {
        return session.read(h -> h.createQuery("SELECT * FROM serverless_workers WHERE instance_id = :id")
                .bind("id", instanceId)
                .map(WORKER)
                .findOne());
    }

    @Override
    public List<Worker> workersOfEndpoint(long endpointId) {
        return session.read(
                h -> h.createQuery("SELECT * FROM serverless_workers WHERE endpoint_id = :e ORDER BY instance_id")
                        .bind("e", endpointId)
                        .map(WORKER)
                        .list());
    }

    @Override
    public void removeWorker(long instanceId) {
        session.write(h -> h.createUpdate("DELETE FROM serverless_workers WHERE instance_id = :id")
                .bind("id", instanceId)
                .execute());
    }

    @Override
    public void log(long endpointId, Long workergroupId, String line, Instant at) {
        session.write(h -> h.createUpdate(
                        "INSERT INTO endpoint_logs (endpoint_id, workergroup_id, at, line) VALUES (:e, :g, :at, :line)")
                .bind("e", endpointId)
                .bind("g", workergroupId)
                .bind("at", at.toEpochMilli())
                .bind("line", line)
                .execute());
    }

    @Override
    public List<LogLine> logs(long endpointId, Long workergroupId, int tail) {
        List<LogLine> newest = session.read(h -> h.createQuery("SELECT * FROM endpoint_logs WHERE endpoint_id = :e"
                        + (workergroupId == null ? "" : " AND workergroup_id = :g")
                        + " ORDER BY id DESC LIMIT :tail")
                .bind("e", endpointId)
                .bind("g", workergroupId)
                .bind("tail", tail)
                .map(LOG)
                .list());
        return newest.reversed();
    }

    @Override
    public Deployment putDeployment(Deployment d, Instant now) {
        return session.write(h -> {
            var st = d.id() == 0 ? h.createQuery("""
                        INSERT INTO deployments (user_id, name, tag, image, file_hash, file_size, env, search_params,
                            storage, ttl, endpoint_id, workergroup_id, version, created_at, updated_at)
                        VALUES (:user, :name, :tag, :image, :file_hash, :file_size, :env, :search_params, :storage,
                            :ttl, :endpoint, :group, :version, :now, :now)
                        RETURNING *""") : h.createQuery("""
                        UPDATE deployments SET image = :image, file_hash = :file_hash, file_size = :file_size,
                            env = :env, search_params = :search_params, storage = :storage, ttl = :ttl,
                            endpoint_id = :endpoint, workergroup_id = :group, version = :version, updated_at = :now
                        WHERE id = :id RETURNING *""").bind("id", d.id());
            return st.bind("user", d.userId())
                    .bind("name", d.name())
                    .bind("tag", d.tag())
                    .bind("image", d.image())
                    .bind("file_hash", d.fileHash())
                    .bind("file_size", d.fileSize())
                    .bind("env", d.env())
                    .bind("search_params", d.searchParams())
                    .bind("storage", d.storage())
                    .bind("ttl", d.ttl())
                    .bind("endpoint", d.endpointId())
                    .bind("group", d.workergroupId())
                    .bind("version", d.version())
                    .bind("now", now.toEpochMilli())
                    .map(DEPLOYMENT)
                    .one();
        });
    }

    @Override
    public Optional<Deployment> deployment(long id) {
        return session.read(h -> h.createQuery("SELECT * FROM deployments WHERE id = :id")
                .bind("id", id)
                .map(DEPLOYMENT)
                .findOne());
    }

    @Override
    public Optional<Deployment> deployment(long userId, String name, String tag) {
        return session.read(
                h -> h.createQuery("SELECT * FROM deployments WHERE user_id = :user AND name = :name AND tag = :tag")
                        .bind("user", userId)
                        .bind("name", name)
                        .bind("tag", tag)
                        .map(DEPLOYMENT)
                        .findOne());
    }

    @Override
    public List<Deployment> deploymentsOf(long userId) {
        return session.read(h -> h.createQuery("SELECT * FROM deployments WHERE user_id = :user ORDER BY id")
                .bind("user", userId)
                .map(DEPLOYMENT)
                .list());
    }

    @Override
    public boolean removeDeployment(long id) {
        return session.write(h -> h.createUpdate("DELETE FROM deployments WHERE id = :id")
                        .bind("id", id)
                        .execute()
                == 1);
    }

    @Override
    public Optional<String> signingKey() {
        return session.read(h -> h.createQuery("SELECT sealed FROM serverless_keys WHERE id = 1")
                .mapTo(String.class)
                .findOne());
    }

    @Override
    public String keepSigningKey(String sealed) {
        return session.write(h -> {
            h.createUpdate("INSERT INTO serverless_keys (id, sealed) VALUES (1, :s) ON CONFLICT (id) DO NOTHING")
                    .bind("s", sealed)
                    .execute();
            return h.createQuery("SELECT sealed FROM serverless_keys WHERE id = 1")
                    .mapTo(String.class)
                    .one();
        });
    }
}
