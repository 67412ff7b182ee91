package io.gpumarket.core.template;

/**
 * The template an instance was created from, as it was at that moment: its id (stable across edits), its
 * {@code hash_id} then (a later edit gives the template a new one) and its name then. Shown on the instance as
 * {@code template_id}, {@code template_hash_id}, {@code template_name} (vastai's {@code show instances} template
 * column reads the id and the name).
 */
public record TemplateRef(long id, String hashId, String name) {
    public static TemplateRef of(Template t) {
        return new TemplateRef(t.id(), t.hashId(), t.content().name());
    }
}
