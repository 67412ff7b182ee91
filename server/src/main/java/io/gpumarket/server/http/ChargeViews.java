package io.gpumarket.server.http;

import io.gpumarket.core.billing.ItemCharge;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.service.BillingService;
import io.gpumarket.server.service.BillingService.InstanceCharges;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /charges/} results (docs/vast-compatibility.md §b.6): one per instance, {@code source} "instance-ID", amounts in dollars,
 * times in epoch seconds, and, in the tree format, its items ({@code gpu}, {@code disk}, {@code bwu}, {@code bwd}).
 */
final class ChargeViews {
    private ChargeViews() {}

    static Map<String, Object> of(InstanceCharges c, boolean tree) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("template_id", c.template() == null ? null : c.template().id());
        metadata.put("label", c.contract().label());
        metadata.put("endpoint_id", null);
        metadata.put("workergroup_id", null);
        Map<String, Object> r = row(
                c.start(),
                c.end(),
                "instance",
                "instance-" + c.contract().id(),
                "Instance " + c.contract().id() + " Charges - " + span(Duration.between(c.start(), c.end())),
                c.total(),
                metadata);
        r.put("items", tree ? c.items().stream().map(i -> item(c, i)).toList() : List.of());
        return r;
    }

    /** A volume's charge: {@code type} "volume", {@code source} "volume-ID", one {@code disk} item. */
    static Map<String, Object> of(BillingService.VolumeCharges c, boolean tree) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("label", c.volume().name());
        metadata.put("size_gb", c.volume().sizeGb());
        String span = span(Duration.between(c.start(), c.end()));
        Map<String, Object> r = row(
                c.start(),
                c.end(),
                "volume",
                "volume-" + c.volume().id(),
                "Volume " + c.volume().id() + " Charges - " + span,
                c.amount(),
                metadata);
        Map<String, Object> item = row(
                c.start(),
                c.end(),
                "disk",
                null,
                c.volume().sizeGb() + " GB for " + span + " at $"
                        + Money.toDollars(c.volume().pricePerGbMonth()) + "/GB/month",
                c.amount(),
                Map.of());
        item.put("items", List.of());
        r.put("items", tree ? List.of(item) : List.of());
        return r;
    }

    private static Map<String, Object> item(InstanceCharges c, ItemCharge i) {
        Map<String, Object> r = row(c.start(), c.end(), i.type(), null, i.description(), i.amount(), Map.of());
        r.put("items", List.of());
        return r;
    }

    private static Map<String, Object> row(
            Instant start,
            Instant end,
            String type,
            String source,
            String description,
            long amount,
            Map<String, Object> metadata) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("start", seconds(start));
        r.put("end", seconds(end));
        r.put("type", type);
        r.put("source", source);
        r.put("description", description);
        r.put("amount", Money.toDollars(amount));
        r.put("metadata", metadata);
        return r;
    }

    static double seconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** "4 days", "1 day", "3.5 hours", "12 minutes". */
    static String span(Duration d) {
        long minutes = d.toMinutes();
        if (d.toHours() >= 48) return d.toDays() + " days";
        if (d.toHours() >= 24) return "1 day";
        if (minutes >= 60) return String.format(Locale.ROOT, "%.1f hours", d.toMillis() / 3_600_000.0);
        return minutes == 1 ? "1 minute" : minutes + " minutes";
    }
}
