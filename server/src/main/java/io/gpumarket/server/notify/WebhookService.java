package io.gpumarket.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.notify.NotificationType;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.server.auth.SecretBox;
import io.gpumarket.server.auth.Secrets;
import io.gpumarket.store.NotificationRepo;
import io.gpumarket.store.NotificationRepo.Due;
import io.gpumarket.store.NotificationRepo.Event;
import io.gpumarket.store.NotificationRepo.Webhook;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Notification types and preferences, webhooks (create, change, rotate the secret, test, delete), the account's event
 * stream, and the delivery loop's work: posting due deliveries and telling hosts about machines gone silent
 * (docs/webhooks.md).
 */
public final class WebhookService {
    /** Deliveries posted per run of the loop; more wait for the next run. */
    private static final int BATCH = 100;

    public static final int MAX_NAME = 120;
    public static final int MAX_WEBHOOKS = 20;

    /** A webhook with its secret in clear, shown only when made or rotated. */
    public record WithSecret(Webhook webhook, String secret, List<String> enabledPrefs) {}

    private final Store store;
    private final SecretBox box;
    private final WebhookSender sender;
    private final NotifyConfig config;
    private final Duration offlineAfter;
    private final Clock clock;

    public WebhookService(
            Store store, SecretBox box, WebhookSender sender, NotifyConfig config, Duration offlineAfter, Clock clock) {
        this.store = store;
        this.box = box;
        this.sender = sender;
        this.config = config;
        this.offlineAfter = offlineAfter;
        this.clock = clock;
    }

    /** The caller's own preferences: another user's id in the path is refused. */
    public Map<String, Map<String, Map<String, Boolean>>> prefs(Principal caller, long userId) {
        own(caller, userId);
        Map<String, Map<String, Boolean>> set = store.repos().notifications().prefs(caller.userId());
        Map<String, Map<String, Map<String, Boolean>>> doc = new LinkedHashMap<>();
        for (NotificationType t : NotificationType.values()) {
            if (!t.subscribable()) continue;
            Map<String, Boolean> channels = new LinkedHashMap<>();
            for (String c : List.of(NotificationType.EMAIL, NotificationType.WEBHOOKS))
                channels.put(c, set.getOrDefault(t.key(), Map.of()).getOrDefault(c, t.defaultFor(c)));
            doc.computeIfAbsent(t.context(), x -> new LinkedHashMap<>()).put(t.slug(), channels);
        }
        return doc;
    }

    /** Sets what the document names ({@code {context: {slug: {channel: bool}}}}); anything unknown is a 400. */
    public Map<String, Map<String, Map<String, Boolean>>> setPrefs(Principal caller, long userId, Object document) {
        own(caller, userId);
        if (!(document instanceof Map<?, ?> contexts))
            throw bad("notification_preferences must be an object of contexts");
        Map<String, Map<String, Boolean>> set = new LinkedHashMap<>();
        for (var c : contexts.entrySet()) {
            if (!(c.getValue() instanceof Map<?, ?> slugs))
                throw bad("notification_preferences." + c.getKey() + " must be an object of notification types");
            for (var s : slugs.entrySet()) {
                NotificationType type = NotificationType.of(String.valueOf(c.getKey()), String.valueOf(s.getKey()))
                        .filter(NotificationType::subscribable)
                        .orElseThrow(() -> bad("unknown notification type " + c.getKey() + ":" + s.getKey()
                                + " (GET /api/v0/notification-types/ lists them)"));
                if (!(s.getValue() instanceof Map<?, ?> channels))
                    throw bad("notification_preferences." + type.context() + "." + type.slug()
                            + " must be an object of channels");
                for (var ch : channels.entrySet()) {
                    String channel = String.valueOf(ch.getKey());
                    if (!channel.equals(NotificationType.EMAIL) && !channel.equals(NotificationType.WEBHOOKS))
                        throw bad("unknown channel '" + channel + "' (email, webhooks)");
                    if (!(ch.getValue() instanceof Boolean on))
                        throw bad(type.key() + "." + channel + " must be true or false");
                    set.computeIfAbsent(type.key(), x -> new LinkedHashMap<>()).put(channel, on);
                }
            }
        }
        store.repos().notifications().setPrefs(caller.userId(), set);
        return prefs(caller, userId);
    }

    public List<Webhook> list(Principal caller) {
        return store.repos().notifications().webhooks(caller.userId());
    }

    public WithSecret create(Principal caller, String name, String url, List<String> types) {
        checkName(name);
        if (url == null) throw bad("webhook_url is required");
        checkUrl(url);
        List<String> checked = types(types, true);
        String secret = newSecret();
        Instant now = clock.instant();
        long id = store.inTransaction(tx -> {
            if (tx.notifications().webhooks(caller.userId()).size() >= MAX_WEBHOOKS)
                throw new DomainException.BadRequest(
                        "too_many_webhooks", "an account has at most " + MAX_WEBHOOKS + " webhooks");
            long made = tx.notifications()
                    .createWebhook(caller.userId(), name, url, checked, box.seal(place(caller), secret), now);
            enable(tx.notifications(), caller.userId(), checked);
            return made;
        });
        return new WithSecret(find(caller, id), secret, checked);
    }

    public WithSecret update(Principal caller, long id, String name, String url, List<String> types) {
        find(caller, id);
        checkName(name);
        if (url != null) checkUrl(url);
        List<String> checked = types == null ? null : types(types, true);
        store.inTransaction(tx -> {
            tx.notifications().updateWebhook(caller.userId(), id, name, url, checked, clock.instant());
            if (checked != null) enable(tx.notifications(), caller.userId(), checked);
            return null;
        });
        return new WithSecret(find(caller, id), null, checked == null ? List.of() : checked);
    }

    /** A new secret; the old one keeps signing (as the previous signature) for the grace period. */
    public WithSecret rotate(Principal caller, long id) {
        find(caller, id);
        String secret = newSecret();
        Instant now = clock.instant();
        store.repos()
                .notifications()
                .rotateSecret(
                        caller.userId(), id, box.seal(place(caller), secret), now.plus(config.secretGrace()), now);
        return new WithSecret(find(caller, id), secret, List.of());
    }

    public void delete(Principal caller, long id) {
        if (!store.repos().notifications().deleteWebhook(caller.userId(), id)) throw missing(id);
    }

    /** Posts a test event at once, signed as every delivery; the receiver's refusal is the caller's 400. */
    public void test(Principal caller, long id) {
        Webhook w = find(caller, id);
        Instant now = clock.instant();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event_id", 0);
        payload.put("notif_type", NotificationType.TEST.key());
        payload.put("subject", "gpumarket webhook test");
        payload.put("message", "This is a test delivery to webhook " + w.id() + ".");
        payload.put("user_id", caller.userId());
        payload.put("created_at", now.toEpochMilli() / 1000.0);
        payload.put("data", Map.of("webhook_id", w.id()));
        byte[] body = json(payload);
        WebhookSender.Result r = sender.post(w.url(), body, signed(w, body, now), 0, 0, 1, NotificationType.TEST.key());
        if (!r.delivered())
            throw new DomainException.BadRequest("webhook_test_failed", "Test delivery failed: " + r.error());
    }

    public List<Event> events(Principal caller, long after, int limit) {
        return store.repos().notifications().events(caller.userId(), after, limit);
    }

    public List<NotificationRepo.Delivery> deliveries(Principal caller, long id, int limit) {
        find(caller, id);
        return store.repos().notifications().deliveries(id, limit);
    }

    /**
     * One run of the delivery loop: every due delivery posted (each marked delivered, or given its next try, or failed
     * once the retry window is over), then hosts told of machines gone silent. Returns how many were delivered.
     */
    public int deliverDue() {
        int delivered = 0;
        for (Due d : store.repos().notifications().due(clock.instant(), BATCH)) {
            Instant now = clock.instant();
            byte[] body = json(payload(d.event()));
            int attempt = d.delivery().attempts() + 1;
            WebhookSender.Result r = sender.post(
                    d.webhook().url(),
                    body,
                    signed(d.webhook(), body, now),
                    d.event().id(),
                    d.delivery().id(),
                    attempt,
                    d.event().type());
            Instant after = clock.instant();
            if (r.delivered()) {
                store.repos().notifications().delivered(d.delivery().id(), r.status(), after);
                delivered++;
            } else {
                Instant next = config.retry().retries(d.event().createdAt(), after)
                        ? after.plus(config.retry().delayAfter(attempt))
                        : null;
                store.repos().notifications().attemptFailed(d.delivery().id(), r.status(), r.error(), next, after);
            }
        }
        watchOffline();
        return delivered;
    }

    /** Tells each host once per silence that a machine has gone offline (no heartbeat past the offline threshold). */
    public int watchOffline() {
        Instant now = clock.instant();
        var silent = store.repos()
                .notifications()
                .silentMachines(now.minus(offlineAfter), NotificationType.MACHINE_OFFLINE.key());
        if (silent.isEmpty()) return 0;
        // one transaction for all: a whole fleet falling silent at once (a network cut) is one write, not thousands
        store.inTransaction(tx -> {
            for (var m : silent) Events.machineOffline(tx, m.hostId(), m.machineId(), m.lastSeen(), now);
            return null;
        });
        return silent.size();
    }

    /** The body every delivery of an event carries (the same bytes on every try, so its id de-duplicates it). */
    public static Map<String, Object> payload(Event e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("event_id", e.id());
        p.put("notif_type", e.type());
        p.put("subject", e.subject());
        p.put("message", e.message());
        p.put("user_id", e.userId());
        p.put("instance_id", e.instanceId());
        p.put("machine_id", e.machineId());
        p.put("created_at", e.createdAt().toEpochMilli() / 1000.0);
        p.put("data", Wire.mapper().convertValue(readTree(e.data()), Object.class));
        return p;
    }

    private WebhookSender.Signed signed(Webhook w, byte[] body, Instant now) {
        String place = "webhook:" + w.userId();
        String previous = w.previousSecret() != null && w.previousUntil() != null && now.isBefore(w.previousUntil())
                ? box.open(place, w.previousSecret())
                : null;
        return WebhookSender.sign(box.open(place, w.secret()), previous, now.getEpochSecond(), body);
    }

    private static String place(Principal caller) {
        return "webhook:" + caller.userId();
    }

    private Webhook find(Principal caller, long id) {
        return store.repos().notifications().webhook(caller.userId(), id).orElseThrow(() -> missing(id));
    }

    private void checkUrl(String url) {
        Optional<String> refused = sender.refusal(url);
        if (refused.isPresent()) throw new DomainException.BadRequest("invalid_webhook_url", refused.get());
    }

    private static void checkName(String name) {
        if (name != null && name.length() > MAX_NAME) throw bad("name is longer than " + MAX_NAME + " characters");
    }

    private static List<String> types(List<String> given, boolean required) {
        if (given == null || given.isEmpty()) {
            if (required) throw bad("event_types must name at least one notification type");
            return List.of();
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String t : given) {
            NotificationType type = NotificationType.byKey(t)
                    .filter(NotificationType::subscribable)
                    .orElseThrow(() ->
                            bad("unknown notification type '" + t + "' (GET /api/v0/notification-types/ lists them)"));
            out.add(type.key());
        }
        return new ArrayList<>(out);
    }

    /** A webhook turns the webhooks channel on for the types it subscribes to, as Vast's answer says. */
    private static void enable(NotificationRepo repo, long userId, List<String> types) {
        Map<String, Map<String, Boolean>> on = new LinkedHashMap<>();
        for (String t : types) on.put(t, Map.of(NotificationType.WEBHOOKS, true));
        repo.setPrefs(userId, on);
    }

    private static void own(Principal caller, long userId) {
        if (userId != caller.userId())
            throw new DomainException.Forbidden(
                    "forbidden", "user " + userId + " is not the authenticated user (" + caller.userId() + ")");
    }

    private static String newSecret() {
        return "whsec_" + Secrets.newSecret();
    }

    private static byte[] json(Object body) {
        try {
            return Wire.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a payload is plain values", e);
        }
    }

    private static Object readTree(String data) {
        try {
            return Wire.mapper().readTree(data == null ? "{}" : data);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }

    private static DomainException missing(long id) {
        return new DomainException.NotFound("no_such_webhook", "No webhook " + id + " of yours");
    }
}
