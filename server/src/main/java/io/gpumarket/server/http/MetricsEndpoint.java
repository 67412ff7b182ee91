package io.gpumarket.server.http;

import io.gpumarket.server.metrics.ServerMetrics;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus metrics at {@code /metrics} (docs/operations.md): request latency by route and status, and everything
 * {@link ServerMetrics} holds.
 */
public final class MetricsEndpoint {
    private final ServerMetrics metrics;
    /** Request timers by method, route template and status: made once each, so a request only records. */
    private final ConcurrentHashMap<Key, Timer> timers = new ConcurrentHashMap<>();

    private record Key(String method, String route, int status) {}

    public MetricsEndpoint(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    public void register(Router r) {
        r.get("/metrics", Access.PUBLIC, (ctx, caller) -> {
            ctx.status(200);
            ctx.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ctx.result(metrics.scrape());
        });
    }

    /** Called for every request; the route template (not the raw path) keeps the label set small. */
    public void record(Context ctx, Float ms) {
        var endpoints = ctx.endpoints().list();
        String route = endpoints.isEmpty() ? "unmatched" : endpoints.getLast().path;
        Key key = new Key(ctx.method().name(), route, ctx.status().getCode());
        Timer timer = timers.get(key);
        if (timer == null) {
            timer = timers.computeIfAbsent(
                    key,
                    k -> Timer.builder("http_server_requests")
                            .tag("method", k.method())
                            .tag("route", k.route())
                            .tag("status", Integer.toString(k.status()))
                            .register(metrics.registry()));
        }
        timer.record((long) (ms * 1_000_000), TimeUnit.NANOSECONDS);
    }
}
