package io.gpumarket.server.console;

import io.gpumarket.core.account.LedgerEntry;
import io.gpumarket.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The billing charts' numbers, from the ledger (the meter posts each user's charges there as it runs): what was spent
 * each day (charges and fees) and the credit at the end of each day, worked back from today's balance. Days are UTC.
 */
final class Daily {
    static final Set<String> SPENDING = Set.of("charge", "fee");

    private Daily() {}

    /** Spending per day over the {@code days} days ending today, oldest first (dollars, positive). */
    static List<SvgChart.Point> spend(List<LedgerEntry> entries, Instant now, int days) {
        long today = day(now);
        double[] spent = new double[days];
        for (LedgerEntry e : entries) {
            if (!SPENDING.contains(e.kind())) continue;
            int i = (int) (day(e.createdAt()) - (today - days + 1));
            if (i >= 0 && i < days) spent[i] -= Money.toDollars(e.amount());
        }
        List<SvgChart.Point> out = new ArrayList<>(days);
        for (int i = 0; i < days; i++) out.add(new SvgChart.Point(label(today - days + 1 + i), spent[i]));
        return out;
    }

    /** The balance at the end of each of the {@code days} days ending today (today: now), oldest first. */
    static List<SvgChart.Point> credit(List<LedgerEntry> entries, long balanceNow, Instant now, int days) {
        long today = day(now);
        long[] movedOn = new long[days];
        for (LedgerEntry e : entries) {
            int i = (int) (day(e.createdAt()) - (today - days + 1));
            if (i >= 0 && i < days) movedOn[i] += e.amount();
        }
        List<SvgChart.Point> out = new ArrayList<>(days);
        long balance = balanceNow;
        double[] end = new double[days];
        for (int i = days - 1; i >= 0; i--) {
            end[i] = Money.toDollars(balance);
            balance -= movedOn[i];
        }
        for (int i = 0; i < days; i++) out.add(new SvgChart.Point(label(today - days + 1 + i), end[i]));
        return out;
    }

    /** Amounts per day (an {@code epoch day → micro-dollars} map, as earnings are kept) as points over the days. */
    static List<SvgChart.Point> ofDays(java.util.Map<Long, Long> perDay, Instant now, int days) {
        long today = day(now);
        List<SvgChart.Point> out = new ArrayList<>(days);
        for (long d = today - days + 1; d <= today; d++)
            out.add(new SvgChart.Point(label(d), Money.toDollars(perDay.getOrDefault(d, 0L))));
        return out;
    }

    static long day(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 86_400);
    }

    private static String label(long epochDay) {
        LocalDate d = LocalDate.ofEpochDay(epochDay);
        return d.getMonthValue() + "/" + d.getDayOfMonth();
    }

    static Instant startOf(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).atStartOfDay().toInstant(ZoneOffset.UTC);
    }
}
