package io.gpumarket.core.billing;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A contract's charges between two usages, item by item, with the quantities and rates people read: GPU hours at
 * the bundle's hourly price, disk GB for hours at the GB-month price, traffic GB at the per-GB price. Amounts are
 * differences of cumulative charges, so they add up across stretches exactly as the ledger does.
 */
public final class ChargeItems {
    public static final List<String> TYPES = List.of("gpu", "disk", "bwu", "bwd");
    private static final double MILLIS_PER_HOUR = 3_600_000.0;
    private static final double BYTES_PER_GB = 1e9;

    private ChargeItems() {}

    /** What the renter paid from {@code a} to {@code b} (b not before a), per item. */
    public static List<ItemCharge> between(ContractTerms t, Usage a, Usage b) {
        return items(t, t.charges(b).minus(t.charges(a)), a, b);
    }

    /** What the host earned from {@code a} to {@code b}: what the renter paid less the platform's cut, per item. */
    public static List<ItemCharge> earnedBetween(ContractTerms t, Usage a, Usage b) {
        Charges ca = t.charges(a);
        Charges cb = t.charges(b);
        Charges net = cb.minus(t.fees(cb)).minus(ca.minus(t.fees(ca)));
        return items(t, net, a, b);
    }

    private static List<ItemCharge> items(ContractTerms t, Charges amounts, Usage a, Usage b) {
        double gpuHours = (b.gpuMillis() - a.gpuMillis()) / MILLIS_PER_HOUR;
        double diskHours = (b.diskMillis() - a.diskMillis()) / MILLIS_PER_HOUR;
        double diskGb = t.diskMilliGb() / 1000.0;
        double upGb = (b.txBytes() - a.txBytes()) / BYTES_PER_GB;
        double downGb = (b.rxBytes() - a.rxBytes()) / BYTES_PER_GB;
        // a stretch that ran at a changed bid shows the average rate it paid, not the frozen one
        boolean rebid = b.repriced().millis() > a.repriced().millis();
        long gpuRate = rebid && gpuHours > 0 ? Math.round(amounts.gpu() / gpuHours) : t.gpuPerHour();
        return List.of(
                new ItemCharge(
                        "gpu",
                        amounts.gpu(),
                        gpuHours,
                        gpuRate,
                        String.format(
                                Locale.ROOT,
                                "%.3f hours at $%s/hour%s",
                                gpuHours,
                                price(gpuRate),
                                rebid ? " on average (bid changed)" : "")),
                new ItemCharge(
                        "disk",
                        amounts.disk(),
                        diskGb * diskHours / 720.0,
                        t.diskPerGbMonth(),
                        String.format(
                                Locale.ROOT,
                                "%s GB for %.3f hours at $%s/GB/month",
                                number(diskGb),
                                diskHours,
                                price(t.diskPerGbMonth()))),
                new ItemCharge(
                        "bwu",
                        amounts.bwu(),
                        upGb,
                        t.upPerGb(),
                        String.format(Locale.ROOT, "%.3f GB uploaded at $%s/GB", upGb, price(t.upPerGb()))),
                new ItemCharge(
                        "bwd",
                        amounts.bwd(),
                        downGb,
                        t.downPerGb(),
                        String.format(Locale.ROOT, "%.3f GB downloaded at $%s/GB", downGb, price(t.downPerGb()))));
    }

    /** A price in dollars with at least three decimals and as many more as it has ($0.389, $0.400, $0.1234). */
    public static String price(long micros) {
        BigDecimal d = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return (d.scale() < 3 ? d.setScale(3) : d).toPlainString();
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
