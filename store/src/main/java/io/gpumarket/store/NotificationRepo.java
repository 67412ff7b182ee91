package io.gpumarket.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Events (the outbox and the account's event stream), notification preferences, webhooks and their deliveries
 * (docs/webhooks.md).
 */
public interface NotificationRepo {
    /** An event to record; {@code data} is a JSON object's text. */
    record NewEvent(
            long userId, String type, String subject, String message, Long instanceId, Long machineId, String data) {}

    record Event(
            long id,
            long userId,
            String type,
            String subject,
            String message,
            Long instanceId,
            Long machineId,
            String data,
            Instant createdAt) {}

    /** A webhook; its secrets sealed as stored. */
    record Webhook(
            long id,
            long userId,
            String name,
            String url,
            List<String> eventTypes,
            String secret,
            String previousSecret,
            Instant previousUntil,
            Instant createdAt,
            Instant updatedAt) {}

    record Delivery(
            long id,
            long webhookId,
            long eventId,
            String status,
            int attempts,
            Instant nextAttemptAt,
            Instant lastAttemptAt,
            Integer lastStatus,
            String lastError,
            Instant createdAt,
            Instant deliveredAt) {}

    /** A delivery due now, with what it needs to be sent. */
    record Due(Delivery delivery, Webhook webhook, Event event) {}

    /** A machine not heard from since {@code lastSeen} whose going offline has not been told yet. */
    record SilentMachine(long machineId, long hostId, Instant lastSeen) {}

    /**
     * Records an event and a pending delivery to each of the user's webhooks subscribed to its type (with the
     * webhooks channel on for it), in the caller's transaction (on PostgreSQL as the transaction's last step).
     */
    void record(NewEvent event, Instant now);

    /** The user's events with ids above {@code afterId}, oldest first. */
    List<Event> events(long userId, long afterId, int limit);

    /** The preferences the user set: type → channel → on. */
    Map<String, Map<String, Boolean>> prefs(long userId);

    /** Sets the given preferences (others keep theirs). */
    void setPrefs(long userId, Map<String, Map<String, Boolean>> prefs);

    List<Webhook> webhooks(long userId);

    Optional<Webhook> webhook(long userId, long id);

    long createWebhook(long userId, String name, String url, List<String> types, String sealedSecret, Instant now);

    /** Changes what is not null; false when the user has no such webhook. */
    boolean updateWebhook(long userId, long id, String name, String url, List<String> types, Instant now);

    /** A new secret; the current one becomes the previous one, valid until {@code previousUntil}. */
    boolean rotateSecret(long userId, long id, String sealedSecret, Instant previousUntil, Instant now);

    /** Removes a webhook with its subscriptions and deliveries. */
    boolean deleteWebhook(long userId, long id);

    /** Pending deliveries due at {@code now}, oldest first. */
    List<Due> due(Instant now, int limit);

    void delivered(long deliveryId, int status, Instant now);

    /** A failed attempt: tried again at {@code nextAttempt}, or marked failed when that is null. */
    void attemptFailed(long deliveryId, Integer status, String error, Instant nextAttempt, Instant now);

    /** A webhook's deliveries, newest first. */
    List<Delivery> deliveries(long webhookId, int limit);

    /** Machines silent since before {@code cutoff} whose silence has no {@code type} event yet. */
    List<SilentMachine> silentMachines(Instant cutoff, String type);
}
