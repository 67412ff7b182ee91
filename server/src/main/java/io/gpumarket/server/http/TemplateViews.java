package io.gpumarket.server.http;

import io.gpumarket.core.template.Template;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The template object (docs/vast-compatibility.md §g.1) as searches and the create/edit answers show it: every settable field, then
 * the server's ({@code id}, {@code hash_id}, {@code creator_id}, times in epoch seconds, {@code count_created},
 * {@code recommended}, {@code default_tag}). {@code docker_login_pass} is never shown, and
 * {@code docker_login_user} only to the creator.
 */
final class TemplateViews {
    private TemplateViews() {}

    static Map<String, Object> of(Template t, long viewerId) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", t.id());
        v.put("hash_id", t.hashId());
        v.put("creator_id", t.creatorId());
        v.putAll(t.content().fields());
        v.remove("docker_login_pass");
        if (viewerId != t.creatorId()) v.remove("docker_login_user");
        v.put("default_tag", t.content().fields().get("tag"));
        v.put("created_at", seconds(t.createdAt()));
        v.put("updated_at", seconds(t.updatedAt()));
        v.put("count_created", t.countCreated());
        v.put("recent_create_date", seconds(t.recentCreateAt()));
        v.put("recommended", t.recommended());
        return v;
    }

    private static Double seconds(Instant t) {
        return t == null ? null : t.toEpochMilli() / 1000.0;
    }
}
