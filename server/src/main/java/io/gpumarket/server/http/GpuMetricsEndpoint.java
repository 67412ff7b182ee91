package io.gpumarket.server.http;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.market.MarketFilter;
import io.gpumarket.core.market.MarketView;
import io.gpumarket.core.market.PriceDistribution;
import io.gpumarket.core.market.Supply;
import io.gpumarket.core.money.Money;
import io.gpumarket.server.market.MarketMetrics;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Vast's market metrics as vast-cli's {@code vastai/api/metrics.py} calls them: {@code current} (counts of GPUs rented
 * and available, verified or not, and price percentiles per GPU model), {@code history} (the same over time, from the
 * kept snapshots) and {@code locations} (GPUs by city and country). Counts are GPUs; prices are $ per GPU-hour, of
 * the listings for available GPUs and of the live contracts for rented ones. Any key may read them: a renter wants to
 * know what a GPU costs now and where (docs/webhooks.md "Market metrics").
 */
public final class GpuMetricsEndpoint {
    private static final Set<String> DEFAULT_NAMES = Set.of("RTX 5090", "RTX 4090", "RTX 3090");

    private final MarketMetrics metrics;

    public GpuMetricsEndpoint(MarketMetrics metrics) {
        this.metrics = metrics;
    }

    public void register(Router r) {
        r.get("/api/v0/metrics/gpu/current", Access.MISC, "api.metrics.gpu.current", (ctx, caller) -> {
            List<Map<String, Object>> gpus = new ArrayList<>();
            for (MarketView.Figures f : metrics.current(filter(ctx))) gpus.add(current(f));
            Json.ok(ctx, Json.success("gpus", gpus));
        });
        r.get("/api/v0/metrics/gpu/history", Access.MISC, "api.metrics.gpu.history", (ctx, caller) -> {
            Instant end = epoch(ctx, "end", metrics.now());
            Instant start = epoch(ctx, "start", end.minus(Duration.ofDays(1)));
            if (!start.isBefore(end)) throw new DomainException.BadRequest("invalid_args", "start must be before end");
            long span = end.getEpochSecond() - start.getEpochSecond();
            long step = Math.max(60, QueryInts.longOf(ctx, "step", Math.max(60, span / 20)));
            step = Math.max(step, span / MarketMetrics.MAX_POINTS); // capped points, as vastai's help says
            String names = ctx.queryParam("gpu_name");
            Set<String> wanted = names == null || names.isBlank()
                    ? DEFAULT_NAMES
                    : names.strip().equalsIgnoreCase("all")
                            ? Set.of()
                            : new LinkedHashSet<>(Arrays.stream(names.split(","))
                                    .map(n -> n.strip().replace('_', ' '))
                                    .filter(n -> !n.isEmpty())
                                    .toList());
            Map<String, Object> gpus = new LinkedHashMap<>();
            for (MarketView.Series s : metrics.history(filter(ctx), wanted, start, end, Duration.ofSeconds(step)))
                gpus.put(s.gpuName(), series(s));
            Json.ok(ctx, Json.success("gpus", gpus));
        });
        r.get("/api/v0/metrics/gpu/locations", Access.MISC, "api.metrics.gpu.locations", (ctx, caller) -> {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Supply s : metrics.locations()) {
                if (s.rentedGpus() > 0) rows.add(location(s, s.rentedGpus(), true));
                if (s.availableGpus() > 0) rows.add(location(s, s.availableGpus(), false));
            }
            Json.ok(ctx, Json.success("locations", rows));
        });
    }

    private static MarketFilter filter(Context ctx) {
        try {
            return MarketFilter.parse(
                    ctx.queryParam("verified"), ctx.queryParam("hosting_type"), ctx.queryParam("num_gpus"));
        } catch (IllegalArgumentException e) {
            throw new DomainException.BadRequest("invalid_args", e.getMessage());
        }
    }

    private static Instant epoch(Context ctx, String name, Instant fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isBlank()) return fallback;
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= 0 && v <= 253_402_300_799L) return Instant.ofEpochSecond(v);
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new DomainException.BadRequest(
                "invalid_args", "'" + name + "' must be a unix timestamp, got '" + raw + "'");
    }

    private Map<String, Object> current(MarketView.Figures f) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("gpu_name", f.gpuName());
        v.put("total", f.total());
        v.put("available", f.available());
        v.put("usage", f.usage());
        v.put("rented_verified", f.rentedVerified());
        v.put("avail_verified", f.availVerified());
        v.put("rented_unverified", f.rentedUnverified());
        v.put("avail_unverified", f.availUnverified());
        // the listings' prices while GPUs are offered; what contracts pay when none is left
        PriceDistribution prices = f.availPrices().gpus() > 0 ? f.availPrices() : f.rentedPrices();
        v.put("price_p10", dollars(prices.percentile(10)));
        v.put("price_p25", dollars(prices.percentile(25)));
        v.put("price_median", dollars(prices.percentile(50)));
        v.put("price_p75", dollars(prices.percentile(75)));
        v.put("price_p90", dollars(prices.percentile(90)));
        v.put("rented_median", dollars(f.rentedPrices().percentile(50)));
        stats(v, f.gpuName(), prices.percentile(50));
        return v;
    }

    private Map<String, Object> series(MarketView.Series s) {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("timestamps", s.at().stream().map(Instant::getEpochSecond).toList());
        sd.put("rented_verified", each(s, MarketView.Figures::rentedVerified));
        sd.put("avail_verified", each(s, MarketView.Figures::availVerified));
        sd.put("rented_unverified", each(s, MarketView.Figures::rentedUnverified));
        sd.put("avail_unverified", each(s, MarketView.Figures::availUnverified));
        sd.put("total", each(s, MarketView.Figures::total));
        Map<String, Object> pricing = new LinkedHashMap<>();
        pricing.put("timestamps", sd.get("timestamps"));
        pricing.put("rented_p10", each(s, f -> dollars(f.rentedPrices().percentile(10))));
        pricing.put("rented_median", each(s, f -> dollars(f.rentedPrices().percentile(50))));
        pricing.put("rented_p90", each(s, f -> dollars(f.rentedPrices().percentile(90))));
        pricing.put("avail_p10", each(s, f -> dollars(f.availPrices().percentile(10))));
        pricing.put("avail_median", each(s, f -> dollars(f.availPrices().percentile(50))));
        pricing.put("avail_p90", each(s, f -> dollars(f.availPrices().percentile(90))));
        Map<String, Object> stats = new LinkedHashMap<>();
        Long median = s.figures().isEmpty()
                ? null
                : s.figures().get(s.figures().size() - 1).availPrices().percentile(50);
        stats(stats, s.gpuName(), median);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("supply_demand", sd);
        out.put("pricing", pricing);
        out.put("stats", stats);
        return out;
    }

    /** The catalogue's performance of the model, and per dollar at {@code price} (null when unknown). */
    private void stats(Map<String, Object> v, String gpuName, Long price) {
        var model = metrics.model(gpuName);
        Double tflops = model.map(m -> m.fp32Tflops()).orElse(null);
        Double dlperf = model.map(m -> m.dlperf()).orElse(null);
        Double perHour = dollars(price);
        v.put("tflops", tflops);
        v.put("dlperf", dlperf);
        v.put("tflops_per_dollar", tflops == null || perHour == null || perHour == 0 ? null : tflops / perHour);
        v.put("dlperf_per_dollar", dlperf == null || perHour == null || perHour == 0 ? null : dlperf / perHour);
    }

    private static Map<String, Object> location(Supply s, int gpus, boolean rented) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("gpu_name", s.gpuName());
        v.put("city", s.city());
        v.put("country_code", s.countryCode());
        // no geocoder here: coordinates are unknown rather than invented
        v.put("latitude", null);
        v.put("longitude", null);
        v.put("num_gpus", gpus);
        v.put("rented", rented);
        v.put("verified", s.verified());
        v.put("datacenter", s.datacenter());
        return v;
    }

    private static <T> List<T> each(MarketView.Series s, Function<MarketView.Figures, T> f) {
        return s.figures().stream().map(f).toList();
    }

    private static Double dollars(Long micros) {
        return micros == null ? null : Money.toDollars(micros);
    }
}
