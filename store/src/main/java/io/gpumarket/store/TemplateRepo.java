package io.gpumarket.store;

import io.gpumarket.core.template.Template;
import io.gpumarket.core.template.TemplateContent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Templates. Only live (not deleted) templates are ever found; changes are scoped to the creator, so naming
 * someone else's template changes nothing. A {@code hash_id} is unique among live templates.
 */
public interface TemplateRepo {
    /** @throws DuplicateException when a live template has this hash_id */
    Template create(long creatorId, String hashId, TemplateContent content, Instant now);

    Optional<Template> find(long id);

    Optional<Template> findByHash(String hashId);

    /** The user's own templates and every public one, in id order. */
    List<Template> visibleTo(long userId);

    /**
     * Replaces the content (and hash_id) of the creator's live template. False when the creator has no live
     * template with this id.
     *
     * @throws DuplicateException when another live template has the new hash_id
     */
    boolean update(long creatorId, long id, String hashId, TemplateContent content, Instant now);

    /** Soft-deletes the creator's live template; false when the creator has none with this id. */
    boolean delete(long creatorId, long id, Instant now);

    /** Counts an instance created from the live template. False when there is none with this id. */
    boolean countCreation(long id, Instant now);
}
