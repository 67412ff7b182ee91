package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.template.Template;
import io.gpumarket.core.template.TemplateContent;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.DuplicateException;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Templates (docs/vast-compatibility.md §b.4, §g.1): made, edited and deleted by their creator only; seen and used by their creator and,
 * when public, by everyone. A template the caller may not see is answered exactly as one that does not exist.
 * Creating a template whose content (and creator) match a live one answers that one, as Vast's "Template created
 * or existing template found".
 */
public final class TemplateService {
    /** A template and whether this call made it (false: an identical one existed). */
    public record Saved(Template template, boolean created) {}

    private final Store store;
    private final Clock clock;

    public TemplateService(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Saved create(Principal caller, Map<String, Object> body) {
        TemplateContent content = TemplateContent.of(body);
        String hash = content.hashId(caller.userId());
        Optional<Template> existing = store.repos().templates().findByHash(hash);
        if (existing.isPresent()) return new Saved(existing.get(), false);
        try {
            return new Saved(store.repos().templates().create(caller.userId(), hash, content, clock.instant()), true);
        } catch (DuplicateException raced) {
            return new Saved(store.repos().templates().findByHash(hash).orElseThrow(() -> raced), false);
        }
    }

    /** Edits the caller's template named by the body's {@code hash_id}: the id stays, the hash_id follows the content. */
    public Template edit(Principal caller, Map<String, Object> body) {
        Object hash = body.get("hash_id");
        if (!(hash instanceof String h) || h.isBlank()) {
            throw new DomainException.BadRequest("invalid_args", "'hash_id' of the template to edit is required");
        }
        Template t = store.repos()
                .templates()
                .findByHash(h)
                .filter(x -> x.creatorId() == caller.userId())
                .orElseThrow(() -> notFound("hash_id " + h));
        TemplateContent edited = t.content().edit(body);
        String newHash = edited.hashId(caller.userId());
        if (newHash.equals(t.hashId())) return t;
        try {
            store.repos().templates().update(caller.userId(), t.id(), newHash, edited, clock.instant());
        } catch (DuplicateException e) {
            long other = store.repos()
                    .templates()
                    .findByHash(newHash)
                    .map(Template::id)
                    .orElse(-1L);
            throw new DomainException.Conflict(
                    "template_exists",
                    "the edited template is identical to your template " + other
                            + "; use that one or change something else");
        }
        return store.repos().templates().find(t.id()).orElseThrow(() -> notFound("id " + t.id()));
    }

    /** Deletes the caller's template named by {@code template_id} (the docs) or {@code hash_id} (the CLI). */
    public Template delete(Principal caller, Long templateId, String hashId) {
        if (templateId == null && (hashId == null || hashId.isBlank())) {
            throw new DomainException.BadRequest("invalid_args", "give the template's 'template_id' or 'hash_id'");
        }
        Optional<Template> t = templateId != null
                ? store.repos().templates().find(templateId)
                : store.repos().templates().findByHash(hashId);
        String named = templateId != null ? "id " + templateId : "hash_id " + hashId;
        Template mine = t.filter(x -> x.creatorId() == caller.userId()).orElseThrow(() -> notFound(named));
        if (!store.repos().templates().delete(caller.userId(), mine.id(), clock.instant())) throw notFound(named);
        return mine;
    }

    /** The caller's own templates and every public one. */
    public List<Template> visible(Principal caller) {
        return store.repos().templates().visibleTo(caller.userId());
    }

    /** The template an instance is created from; someone else's private one is answered as a missing one. */
    public Template usable(Principal caller, String hashId) {
        return store.repos()
                .templates()
                .findByHash(hashId)
                .filter(t -> t.visibleTo(caller.userId()))
                .orElseThrow(() -> notFound("hash_id " + hashId));
    }

    private static DomainException notFound(String named) {
        return new DomainException.NotFound("no_such_template", "No template with " + named + " that you can use.");
    }
}
