package io.gpumarket.core.notify;

import java.util.Arrays;
import java.util.Optional;

/**
 * The events an account can be told about, keyed as Vast keys them ({@code context:slug}, e.g.
 * {@code client:low_credit}; Vast's docs name {@code client:instance_created}, {@code instance_started},
 * {@code instance_stopped}, {@code outbid}, {@code upcoming_downtime}, {@code low_credit} and
 * {@code host:machine_offline}). Channels are {@code email} and {@code webhooks}; this server sends no mail (no mail
 * server), so email preferences are kept for an operator's own relay but nothing is sent. Webhooks are off by
 * default and turned on for a type when a webhook subscribes to it, as Vast's create answer's
 * {@code enabled_notification_preferences} says.
 */
public enum NotificationType {
    INSTANCE_CREATED("client", "instance_created", "instances", "Instance created"),
    INSTANCE_STARTED("client", "instance_started", "instances", "Instance started"),
    INSTANCE_STOPPED("client", "instance_stopped", "instances", "Instance stopped or exited"),
    INSTANCE_DESTROYED("client", "instance_destroyed", "instances", "Instance destroyed"),
    OUTBID("client", "outbid", "instances", "Preemption notices (outbid interruptible instances)"),
    LOW_CREDIT("client", "low_credit", "billing", "Low balance notifications"),
    UPCOMING_DOWNTIME("client", "upcoming_downtime", "maintenance", "Maintenance announced for a rented machine"),
    MACHINE_OFFLINE("host", "machine_offline", "machines", "Machine offline"),
    MAINTENANCE_SCHEDULED("host", "maintenance_scheduled", "maintenance", "Maintenance scheduled on your machine"),
    /** What {@code POST /webhooks/{id}/test/} sends; never subscribed to, never in the event stream. */
    TEST("client", "webhook_test", "webhooks", "Webhook test deliveries");

    public static final String EMAIL = "email";
    public static final String WEBHOOKS = "webhooks";

    private final String context;
    private final String slug;
    private final String topic;
    private final String displayName;

    NotificationType(String context, String slug, String topic, String displayName) {
        this.context = context;
        this.slug = slug;
        this.topic = topic;
        this.displayName = displayName;
    }

    public String key() {
        return context + ":" + slug;
    }

    public String context() {
        return context;
    }

    public String slug() {
        return slug;
    }

    public String topic() {
        return topic;
    }

    public String displayName() {
        return displayName;
    }

    /** The default of a channel when the user set nothing: email on (kept, not sent), webhooks off. */
    public boolean defaultFor(String channel) {
        return EMAIL.equals(channel);
    }

    /** Whether a webhook may subscribe to it (the test event is sent only on request). */
    public boolean subscribable() {
        return this != TEST;
    }

    public static Optional<NotificationType> byKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key().equals(key)).findFirst();
    }

    /** {@code context} and {@code slug} as the preferences document nests them. */
    public static Optional<NotificationType> of(String context, String slug) {
        return byKey(context + ":" + slug);
    }
}
