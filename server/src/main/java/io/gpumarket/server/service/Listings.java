package io.gpumarket.server.service;

import io.gpumarket.api.host.ListMachineRequest;
import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A create_asks request to a {@link Listing}. Options left out keep the machine's current terms, else Vast's
 * defaults: disk $0.10/GB/month, min_chunk 1, credit_discount_max 0.4, and an offer window of 30 days.
 */
final class Listings {
    static final Duration DEFAULT_WINDOW = Duration.ofDays(30);
    private static final Pattern DURATION = Pattern.compile(
            "^\\s*(\\d+(?:\\.\\d+)?)\\s*(s|sec|secs|seconds?|h|hours?|d|days?|w|weeks?|months?|y|years?)?\\s*$");

    private Listings() {}

    static Listing from(ListMachineRequest r, Listing current, Instant now) {
        Double gpu = r.priceGpu() != null
                ? r.priceGpu()
                : current == null ? null : Money.toDollars(current.gpuPricePerHour());
        if (gpu == null) throw bad("price_gpu is required to list a machine");
        double disk =
                pick(r.priceDisk(), current == null ? null : Money.toDollars(current.diskPricePerGbMonth()), 0.10);
        double up = pick(r.priceInetu(), current == null ? null : Money.toDollars(current.inetUpPricePerGb()), 0.0);
        double down = pick(r.priceInetd(), current == null ? null : Money.toDollars(current.inetDownPricePerGb()), 0.0);
        double minBid =
                pick(r.priceMinBid(), current == null ? null : Money.toDollars(current.minBidPerGpuHour()), gpu / 2);
        int minChunk = r.minChunk() != null ? r.minChunk() : current == null ? 1 : current.minChunk();
        double discount = pick(r.creditDiscountMax(), current == null ? null : current.creditDiscountMax(), 0.4);
        for (double price : new double[] {gpu, disk, up, down, minBid}) {
            if (!(price >= 0 && price <= 1000)) throw bad("prices must be between 0 and 1000 dollars, got " + price);
        }
        if (r.endDate() != null && r.duration() != null) throw bad("give end_date or duration, not both");
        long endDate;
        if (r.endDate() != null) {
            endDate = r.endDate().longValue();
            if (endDate <= now.getEpochSecond()) throw bad("end_date " + endDate + " is in the past");
        } else if (r.duration() != null) {
            endDate = now.plus(duration(r.duration())).getEpochSecond();
        } else {
            endDate = current != null && current.endDate() > now.getEpochSecond()
                    ? current.endDate()
                    : now.plus(DEFAULT_WINDOW).getEpochSecond();
        }
        try {
            return new Listing(
                    Money.fromDollars(gpu),
                    Money.fromDollars(disk),
                    Money.fromDollars(up),
                    Money.fromDollars(down),
                    Money.fromDollars(minBid),
                    minChunk,
                    endDate,
                    discount);
        } catch (IllegalArgumentException e) {
            throw bad(e.getMessage());
        }
    }

    /** "3 days", "2 weeks", "1 month", or a number of seconds. */
    static Duration duration(Object value) {
        if (value instanceof Number n) return positive(n.doubleValue());
        Matcher m = DURATION.matcher(String.valueOf(value).toLowerCase(Locale.ROOT));
        if (!m.matches())
            throw bad("duration must be seconds or like '3 days', '2 weeks', '1 month'; got '" + value + "'");
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double seconds = switch (unit.charAt(0)) {
            case 'h' -> n * 3600;
            case 'd' -> n * 86400;
            case 'w' -> n * 7 * 86400;
            case 'm' -> n * 30 * 86400;
            case 'y' -> n * 365 * 86400;
            default -> n;
        };
        return positive(seconds);
    }

    private static Duration positive(double seconds) {
        if (!(seconds >= 60 && seconds <= 10 * 365 * 86400.0))
            throw bad("duration must be between a minute and ten years");
        return Duration.ofSeconds((long) seconds);
    }

    private static double pick(Double given, Double current, double fallback) {
        return given != null ? given : current != null ? current : fallback;
    }

    private static DomainException bad(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
