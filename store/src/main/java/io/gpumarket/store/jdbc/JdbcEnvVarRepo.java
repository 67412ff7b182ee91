package io.gpumarket.store.jdbc;

import io.gpumarket.store.EnvVarRepo;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link EnvVarRepo} on the {@code account_env_vars} table. */
final class JdbcEnvVarRepo implements EnvVarRepo {
    private static final RowMapper<Sealed> ROW =
            (rs, ctx) -> new Sealed(rs.getLong("user_id"), rs.getString("name"), rs.getString("sealed"));

    private final Session session;

    JdbcEnvVarRepo(Session session) {
        this.session = session;
    }

    @Override
    public List<Sealed> of(long userId) {
        return session.read(h -> h.createQuery(
                        "SELECT user_id, name, sealed FROM account_env_vars WHERE user_id = :user ORDER BY name")
                .bind("user", userId)
                .map(ROW)
                .list());
    }

    @Override
    public Map<Long, List<Sealed>> ofUsers(Collection<Long> userIds) {
        if (userIds.isEmpty()) return Map.of();
        Map<Long, List<Sealed>> out = new LinkedHashMap<>();
        session.read(h -> h.createQuery("SELECT user_id, name, sealed FROM account_env_vars WHERE user_id IN (<users>)"
                                + " ORDER BY user_id, name")
                        .bindList("users", List.copyOf(userIds))
                        .map(ROW)
                        .list())
                .forEach(s -> out.computeIfAbsent(s.userId(), u -> new java.util.ArrayList<>())
                        .add(s));
        return out;
    }

    @Override
    public int count(long userId) {
        return session.read(h -> h.createQuery("SELECT COUNT(*) FROM account_env_vars WHERE user_id = :user")
                .bind("user", userId)
                .mapTo(Integer.class)
                .one());
    }

    @Override
    public boolean add(long userId, String name, String sealed, Instant now) {
        // ON CONFLICT DO NOTHING (both databases): a duplicate is an answer, not an exception to map
        return session.write(h ->
                h.createUpdate("INSERT INTO account_env_vars (user_id, name, sealed, created_at, updated_at) VALUES"
                                        + " (:user, :name, :sealed, :now, :now) ON CONFLICT (user_id, name) DO NOTHING")
                                .bind("user", userId)
                                .bind("name", name)
                                .bind("sealed", sealed)
                                .bind("now", now.toEpochMilli())
                                .execute()
                        == 1);
    }

    @Override
    public boolean replace(long userId, String name, String sealed, Instant now) {
        return session.write(h -> h.createUpdate("UPDATE account_env_vars SET sealed = :sealed, updated_at = :now"
                                + " WHERE user_id = :user AND name = :name")
                        .bind("user", userId)
                        .bind("name", name)
                        .bind("sealed", sealed)
                        .bind("now", now.toEpochMilli())
                        .execute()
                == 1);
    }

    @Override
    public boolean remove(long userId, String name) {
        return session.write(h -> h.createUpdate("DELETE FROM account_env_vars WHERE user_id = :user AND name = :name")
                        .bind("user", userId)
                        .bind("name", name)
                        .execute()
                == 1);
    }
}
