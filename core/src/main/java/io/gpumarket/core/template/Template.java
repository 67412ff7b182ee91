package io.gpumarket.core.template;

import java.time.Instant;

/**
 * A stored template: its numeric id (stable across edits), its content-derived {@code hash_id} (new after every
 * edit), who made it, and how often instances were created from it.
 *
 * @param recentCreateAt when an instance was last created from it; null before the first
 * @param recommended    set by operators, never by the creator (a search field of docs/vast-compatibility.md §g.1)
 */
public record Template(
        long id,
        long creatorId,
        String hashId,
        TemplateContent content,
        Instant createdAt,
        Instant updatedAt,
        long countCreated,
        Instant recentCreateAt,
        boolean recommended) {
    /** Whether {@code userId} may see and use it: its creator always, anyone when it is public. */
    public boolean visibleTo(long userId) {
        return creatorId == userId || !content.isPrivate();
    }
}
