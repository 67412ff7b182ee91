package io.gpumarket.server.http;

import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/** Prometheus metrics at {@code /metrics}: request latency by route and status. */
public final class MetricsEndpoint {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** The registry every other part of the server counts into (rate-limit refusals, for one). */
    public io.micrometer.core.instrument.MeterRegistry registry() {
        return registry;
    }

    public void register(Router r) {
        r.get("/metrics", Access.PUBLIC, (ctx, caller) -> {
            ctx.status(200);
            ctx.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            ctx.result(registry.scrape());
        });
    }

    /** Called for every request; the route template (not the raw path) keeps the label set small. */
    public void record(Context ctx, Float ms) {
        var endpoints = ctx.endpoints().list();
        String route = endpoints.isEmpty() ? "unmatched" : endpoints.getLast().path;
        Timer.builder("http_server_requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.status().getCode()))
                .register(registry)
                .record(Duration.ofNanos((long) (ms * 1_000_000)));
    }
}
