package io.gpumarket.core.market;

import java.util.Map;
import java.util.TreeMap;

/**
 * Prices (micro-dollars per GPU-hour) with how many GPUs stand at each, for the market metrics' percentiles. A market
 * has few distinct prices, so a snapshot keeps the whole distribution in a short text ({@code "price:gpus,…"}) and any
 * combination of filters is merged exactly instead of averaging percentiles.
 */
public final class PriceDistribution {
    private final TreeMap<Long, Long> gpusAt = new TreeMap<>();
    private long gpus;

    public static PriceDistribution parse(String text) {
        PriceDistribution d = new PriceDistribution();
        if (text == null || text.isEmpty()) return d;
        for (String part : text.split(",")) {
            int colon = part.indexOf(':');
            d.add(Long.parseLong(part.substring(0, colon)), Long.parseLong(part.substring(colon + 1)));
        }
        return d;
    }

    public PriceDistribution add(long price, long count) {
        if (count <= 0) return this;
        gpusAt.merge(price, count, Long::sum);
        gpus += count;
        return this;
    }

    public PriceDistribution addAll(PriceDistribution other) {
        other.gpusAt.forEach(this::add);
        return this;
    }

    public long gpus() {
        return gpus;
    }

    /** The nearest-rank percentile ({@code p} in 0..100), or null with no GPU. */
    public Long percentile(double p) {
        if (gpus == 0) return null;
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * gpus));
        long seen = 0;
        for (Map.Entry<Long, Long> e : gpusAt.entrySet()) {
            seen += e.getValue();
            if (seen >= rank) return e.getKey();
        }
        return gpusAt.lastKey();
    }

    public String text() {
        StringBuilder out = new StringBuilder();
        gpusAt.forEach((price, count) -> {
            if (!out.isEmpty()) out.append(',');
            out.append(price).append(':').append(count);
        });
        return out.toString();
    }
}
