package io.gpumarket.store.jdbc;

import io.gpumarket.core.account.User;
import io.gpumarket.store.UserRepo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link UserRepo} on the {@code users} table. */
final class JdbcUserRepo implements UserRepo {
    private static final RowMapper<User> USER = (rs, ctx) -> new User(
            rs.getLong("id"),
            rs.getString("email"),
            rs.getString("username"),
            rs.getBoolean("admin"),
            rs.getString("ssh_key"),
            Columns.instant(rs, "created_at"));

    private final Session session;

    JdbcUserRepo(Session session) {
        this.session = session;
    }

    @Override
    public User create(String email, String username, boolean admin, Instant now) {
        return session.write(
                h -> h.createQuery("""
                        INSERT INTO users (email, username, admin, created_at)
                        VALUES (:email, :username, :admin, :now) RETURNING *""")
                        .bind("email", email)
                        .bind("username", username)
                        .bind("admin", admin)
                        .bind("now", now.toEpochMilli())
                        .map(USER)
                        .one(),
                constraint -> constraint.contains("email")
                        ? "email " + email + " is already registered"
                        : "username " + username + " is already taken");
    }

    @Override
    public Optional<User> find(long id) {
        return session.read(h -> h.createQuery("SELECT * FROM users WHERE id = :id")
                .bind("id", id)
                .map(USER)
                .findOne());
    }

    @Override
    public Optional<User> findByEmail(String email) {
        return session.read(h -> h.createQuery("SELECT * FROM users WHERE lower(email) = lower(:email)")
                .bind("email", email)
                .map(USER)
                .findOne());
    }

    @Override
    public List<User> all() {
        return session.read(
                h -> h.createQuery("SELECT * FROM users ORDER BY id").map(USER).list());
    }

    @Override
    public long count() {
        return session.read(h ->
                h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
    }

    @Override
    public boolean setSshKey(long id, String sshKey) {
        return session.write(h -> h.createUpdate("UPDATE users SET ssh_key = :key WHERE id = :id")
                        .bind("key", sshKey)
                        .bind("id", id)
                        .execute()
                == 1);
    }

    @Override
    public Map<String, Object> settings(long id) {
        return session.read(h -> h.createQuery("SELECT settings FROM users WHERE id = :id")
                        .bind("id", id)
                        .mapTo(String.class)
                        .findOne())
                .map(JsonColumns::object)
                .orElseGet(LinkedHashMap::new);
    }

    @Override
    public boolean update(long id, String email, String username, String sshKey, Map<String, Object> settings) {
        return session.write(
                h -> h.createUpdate("""
                        UPDATE users SET email = :email, username = :username, ssh_key = :key, settings = :settings
                        WHERE id = :id""")
                                .bind("email", email)
                                .bind("username", username)
                                .bind("key", sshKey)
                                .bind("settings", JsonColumns.object(settings))
                                .bind("id", id)
                                .execute()
                        == 1,
                constraint -> constraint.contains("email")
                        ? "email " + email + " is already registered"
                        : "username " + username + " is already taken");
    }

    @Override
    public void setParent(long id, long parentId) {
        session.write(h -> h.createUpdate("UPDATE users SET parent_id = :parent WHERE id = :id")
                .bind("parent", parentId)
                .bind("id", id)
                .execute());
    }

    @Override
    public Optional<Long> parentOf(long id) {
        return session.read(h -> h.createQuery("SELECT parent_id FROM users WHERE id = :id AND parent_id IS NOT NULL")
                .bind("id", id)
                .mapTo(Long.class)
                .findOne());
    }

    @Override
    public List<User> children(long parentId) {
        return session.read(h -> h.createQuery("SELECT * FROM users WHERE parent_id = :parent ORDER BY id")
                .bind("parent", parentId)
                .map(USER)
                .list());
    }

    @Override
    public void clearUsername(long id) {
        session.write(h -> h.createUpdate("UPDATE users SET username = NULL WHERE id = :id")
                .bind("id", id)
                .execute());
    }
}
