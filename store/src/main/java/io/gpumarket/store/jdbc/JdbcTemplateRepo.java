package io.gpumarket.store.jdbc;

import io.gpumarket.core.template.Template;
import io.gpumarket.core.template.TemplateContent;
import io.gpumarket.store.TemplateRepo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;

/** {@link TemplateRepo} on the {@code templates} table; the content is a JSON object column. */
final class JdbcTemplateRepo implements TemplateRepo {
    private static final RowMapper<Template> TEMPLATE = (rs, ctx) -> new Template(
            rs.getLong("id"),
            rs.getLong("creator_id"),
            rs.getString("hash_id"),
            new TemplateContent(JsonColumns.object(rs.getString("content"))),
            Columns.instant(rs, "created_at"),
            Columns.instant(rs, "updated_at"),
            rs.getLong("count_created"),
            Columns.nullableInstant(rs, "recent_create_at"),
            rs.getBoolean("recommended"));

    private final Session session;

    JdbcTemplateRepo(Session session) {
        this.session = session;
    }

    @Override
    public Template create(long creatorId, String hashId, TemplateContent content, Instant now) {
        return session.write(
                h -> h.createQuery("""
                        INSERT INTO templates (creator_id, hash_id, name, private, content, created_at, updated_at)
                        VALUES (:creator, :hash, :name, :private, :content, :now, :now) RETURNING *""")
                        .bind("creator", creatorId)
                        .bind("hash", hashId)
                        .bind("name", content.name())
                        .bind("private", content.isPrivate())
                        .bind("content", JsonColumns.object(content.fields()))
                        .bind("now", now.toEpochMilli())
                        .map(TEMPLATE)
                        .one(),
                constraint -> "a template with hash_id " + hashId + " exists");
    }

    @Override
    public Optional<Template> find(long id) {
        return session.read(h -> h.createQuery("SELECT * FROM templates WHERE id = :id AND deleted_at IS NULL")
                .bind("id", id)
                .map(TEMPLATE)
                .findOne());
    }

    @Override
    public Optional<Template> findByHash(String hashId) {
        return session.read(h -> h.createQuery("SELECT * FROM templates WHERE hash_id = :hash AND deleted_at IS NULL")
                .bind("hash", hashId)
                .map(TEMPLATE)
                .findOne());
    }

    @Override
    public List<Template> visibleTo(long userId) {
        // Two indexed halves (own, public) rather than one OR, which neither planner serves from the partial indexes.
        return session.read(
                h -> h.createQuery("""
                        SELECT * FROM templates WHERE creator_id = :user AND deleted_at IS NULL
                        UNION
                        SELECT * FROM templates WHERE private = FALSE AND deleted_at IS NULL
                        ORDER BY id""").bind("user", userId).map(TEMPLATE).list());
    }

    @Override
    public boolean update(long creatorId, long id, String hashId, TemplateContent content, Instant now) {
        return session.write(
                h -> h.createUpdate("""
                        UPDATE templates SET hash_id = :hash, name = :name, private = :private, content = :content,
                               updated_at = :now
                        WHERE id = :id AND creator_id = :creator AND deleted_at IS NULL""")
                                .bind("hash", hashId)
                                .bind("name", content.name())
                                .bind("private", content.isPrivate())
                                .bind("content", JsonColumns.object(content.fields()))
                                .bind("now", now.toEpochMilli())
                                .bind("id", id)
                                .bind("creator", creatorId)
                                .execute()
                        == 1,
                constraint -> "a template with hash_id " + hashId + " exists");
    }

    @Override
    public boolean delete(long creatorId, long id, Instant now) {
        return session.write(h -> h.createUpdate("""
                        UPDATE templates SET deleted_at = :now
                        WHERE id = :id AND creator_id = :creator AND deleted_at IS NULL""")
                        .bind("now", now.toEpochMilli())
                        .bind("id", id)
                        .bind("creator", creatorId)
                        .execute()
                == 1);
    }

    @Override
    public boolean countCreation(long id, Instant now) {
        return session.write(h -> h.createUpdate("""
                        UPDATE templates SET count_created = count_created + 1, recent_create_at = :now
                        WHERE id = :id AND deleted_at IS NULL""")
                        .bind("now", now.toEpochMilli())
                        .bind("id", id)
                        .execute()
                == 1);
    }
}
