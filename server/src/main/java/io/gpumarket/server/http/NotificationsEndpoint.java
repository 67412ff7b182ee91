package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.notify.NotificationType;
import io.gpumarket.server.notify.WebhookService;
import io.gpumarket.store.NotificationRepo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Vast's notification routes as its OpenAPI document has them ({@code notification-types}, {@code notification-prefs},
 * {@code webhooks} with {@code rotate-secret} and {@code test}), plus ours: a webhook's delivery log
 * ({@code GET /webhooks/{id}/deliveries/}) and the account's event stream ({@code GET /events/?after=N}), from which a
 * client that was down catches up (docs/webhooks.md).
 */
public final class NotificationsEndpoint {
    private static final int MAX_EVENTS = 1000;

    private final WebhookService webhooks;

    public NotificationsEndpoint(WebhookService webhooks) {
        this.webhooks = webhooks;
    }

    public void register(Router r) {
        r.get("/api/v0/notification-types", Access.USER_READ, "api.notification_types.list", (ctx, caller) -> {
            List<Map<String, Object>> types = new ArrayList<>();
            for (NotificationType t : NotificationType.values()) {
                if (!t.subscribable()) continue;
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("key", t.key());
                v.put("slug", t.slug());
                v.put("context", t.context());
                v.put("topic", t.topic());
                v.put("category", t.topic());
                v.put("display_name", t.displayName());
                v.put(
                        "default_preferences",
                        Map.of(
                                NotificationType.EMAIL,
                                t.defaultFor(NotificationType.EMAIL),
                                NotificationType.WEBHOOKS,
                                t.defaultFor(NotificationType.WEBHOOKS)));
                v.put("mandatory_email", false);
                types.add(v);
            }
            Json.ok(ctx, Json.success("notification_types", types));
        });
        r.get(
                "/api/v0/users/{user}/notification-prefs",
                Access.USER_READ,
                "api.notification_prefs.show",
                (ctx, caller) -> Json.ok(
                        ctx, Json.success("notification_preferences", webhooks.prefs(caller, Params.id(ctx, "user")))));
        r.put(
                "/api/v0/users/{user}/notification-prefs",
                Access.USER_WRITE,
                "api.notification_prefs.update",
                (ctx, caller) -> {
                    Map<String, Object> b = Json.bodyMap(ctx);
                    if (!b.containsKey("notification_preferences"))
                        throw new DomainException.BadRequest("invalid_args", "notification_preferences is required");
                    Json.ok(
                            ctx,
                            Json.success(
                                    "notification_preferences",
                                    webhooks.setPrefs(
                                            caller, Params.id(ctx, "user"), b.get("notification_preferences"))));
                });
        r.get(
                "/api/v0/webhooks",
                Access.USER_READ,
                "api.webhooks.list",
                (ctx, caller) -> Json.ok(
                        ctx,
                        Json.success(
                                "webhooks",
                                webhooks.list(caller).stream()
                                        .map(w -> view(w, null))
                                        .toList())));
        r.post("/api/v0/webhooks", Access.USER_WRITE, "api.webhooks.create", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            var made = webhooks.create(
                    caller,
                    Params.string(b, "name"),
                    Params.string(b, "webhook_url"),
                    Params.strings(b, "event_types"));
            Json.ok(
                    ctx,
                    Json.success(
                            "webhook",
                            view(made.webhook(), made.secret()),
                            "enabled_notification_preferences",
                            made.enabledPrefs()));
        });
        r.put("/api/v0/webhooks/{id}", Access.USER_WRITE, "api.webhooks.update", (ctx, caller) -> {
            Map<String, Object> b = Json.bodyMap(ctx);
            var changed = webhooks.update(
                    caller,
                    Params.id(ctx, "id"),
                    Params.string(b, "name"),
                    Params.string(b, "webhook_url"),
                    b.containsKey("event_types") ? Params.strings(b, "event_types") : null);
            Json.ok(
                    ctx,
                    Json.success(
                            "webhook",
                            view(changed.webhook(), null),
                            "enabled_notification_preferences",
                            changed.enabledPrefs()));
        });
        r.delete("/api/v0/webhooks/{id}", Access.USER_WRITE, "api.webhooks.delete", (ctx, caller) -> {
            webhooks.delete(caller, Params.id(ctx, "id"));
            Json.ok(ctx, Json.success());
        });
        r.post(
                "/api/v0/webhooks/{id}/rotate-secret",
                Access.USER_WRITE,
                "api.webhooks.rotate_secret",
                (ctx, caller) -> {
                    var rotated = webhooks.rotate(caller, Params.id(ctx, "id"));
                    Json.ok(ctx, Json.success("webhook", view(rotated.webhook(), rotated.secret())));
                });
        r.post("/api/v0/webhooks/{id}/test", Access.USER_WRITE, "api.webhooks.test", (ctx, caller) -> {
            webhooks.test(caller, Params.id(ctx, "id"));
            Json.ok(ctx, Json.success("msg", "Test webhook delivered"));
        });
        r.get(
                "/api/v0/webhooks/{id}/deliveries",
                Access.USER_READ,
                "api.webhooks.deliveries",
                (ctx, caller) -> Json.ok(
                        ctx,
                        Json.success(
                                "deliveries",
                                webhooks
                                        .deliveries(
                                                caller,
                                                Params.id(ctx, "id"),
                                                QueryInts.of(ctx, "limit", 100, MAX_EVENTS))
                                        .stream()
                                        .map(NotificationsEndpoint::view)
                                        .toList())));
        r.get("/api/v0/events", Access.USER_READ, "api.events.list", (ctx, caller) -> {
            long after = QueryInts.longOf(ctx, "after", 0);
            var events = webhooks.events(caller, after, QueryInts.of(ctx, "limit", 100, MAX_EVENTS));
            long next = events.isEmpty() ? after : events.get(events.size() - 1).id();
            Json.ok(
                    ctx,
                    Json.success(
                            "events",
                            events.stream().map(WebhookService::payload).toList(),
                            "next_after",
                            next));
        });
    }

    static Map<String, Object> view(NotificationRepo.Webhook w, String secret) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", w.id());
        v.put("user_id", w.userId());
        v.put("name", w.name());
        v.put("webhook_url", w.url());
        v.put("event_types", w.eventTypes());
        v.put("created_at", w.createdAt().toEpochMilli() / 1000.0);
        v.put("updated_at", w.updatedAt().toEpochMilli() / 1000.0);
        if (secret != null) v.put("webhook_secret", secret);
        return v;
    }

    static Map<String, Object> view(NotificationRepo.Delivery d) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", d.id());
        v.put("webhook_id", d.webhookId());
        v.put("event_id", d.eventId());
        v.put("status", d.status());
        v.put("attempts", d.attempts());
        v.put("last_status", d.lastStatus());
        v.put("last_error", d.lastError());
        v.put("created_at", d.createdAt().toEpochMilli() / 1000.0);
        v.put(
                "last_attempt_at",
                d.lastAttemptAt() == null ? null : d.lastAttemptAt().toEpochMilli() / 1000.0);
        v.put(
                "next_attempt_at",
                "pending".equals(d.status()) ? d.nextAttemptAt().toEpochMilli() / 1000.0 : null);
        v.put("delivered_at", d.deliveredAt() == null ? null : d.deliveredAt().toEpochMilli() / 1000.0);
        return v;
    }
}
