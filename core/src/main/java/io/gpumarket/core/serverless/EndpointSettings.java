package io.gpumarket.core.serverless;

import io.gpumarket.core.error.DomainException;
import java.util.Locale;
import java.util.Map;

/**
 * An endpoint's scaling settings as vast-cli's {@code create endpoint} / {@code update endpoint} send them
 * ({@code vastai/api/endpoints.py}): defaults are the client's (min_load 0, target_util 0.9, cold_mult 2.5,
 * cold_workers 5, max_workers 20), a field sent as null keeps the current value (the client sends every field, null
 * when the user gave none).
 *
 * @param minLoad      the load (workload units per second) the endpoint is always sized for, even when idle
 * @param targetUtil   the share of a worker's measured throughput the autoscaler fills before adding another (0–1]
 * @param coldMult     the capacity kept rented (running or stopped) as a multiple of the hot capacity needed
 * @param coldWorkers  workers kept rented and stopped, ready to start, when there is no load
 * @param maxWorkers   the most workers the endpoint ever holds, running or stopped
 * @param state        {@code active}, {@code suspended} (no new workers are started or rented) or {@code stopped}
 *                     (every worker is stopped)
 */
public record EndpointSettings(
        double minLoad,
        double minColdLoad,
        double targetUtil,
        double coldMult,
        int coldWorkers,
        int maxWorkers,
        Double maxQueueTime,
        Double targetQueueTime,
        Double inactivityTimeout,
        String state) {
    public static final int MAX_WORKERS = 1000;
    public static final EndpointSettings DEFAULTS =
            new EndpointSettings(0.0, 0.0, 0.9, 2.5, 5, 20, null, null, null, "active");

    /** These settings with the non-null fields of a create or update body applied, checked. */
    public EndpointSettings with(Map<String, Object> body) {
        EndpointSettings s = new EndpointSettings(
                number(body, "min_load", minLoad),
                number(body, "min_cold_load", minColdLoad),
                number(body, "target_util", targetUtil),
                number(body, "cold_mult", coldMult),
                count(body, "cold_workers", coldWorkers),
                count(body, "max_workers", maxWorkers),
                optional(body, "max_queue_time", maxQueueTime),
                optional(body, "target_queue_time", targetQueueTime),
                optional(body, "inactivity_timeout", inactivityTimeout),
                state(body, state));
        if (!(s.targetUtil > 0 && s.targetUtil <= 1))
            throw invalid("target_util must be above 0 and at most 1, got " + s.targetUtil);
        if (s.coldMult < 1 || s.coldMult > 100) throw invalid("cold_mult must be from 1 to 100, got " + s.coldMult);
        return s;
    }

    private static double number(Map<String, Object> body, String key, double current) {
        Double v = optional(body, key, current);
        return v == null ? current : v;
    }

    private static Double optional(Map<String, Object> body, String key, Double current) {
        Object v = body.get(key);
        if (v == null) return current;
        if (!(v instanceof Number n)) throw invalid(key + " must be a number");
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d < 0 || d > 1e12) throw invalid(key + " must be a number from 0 to 1e12");
        return d;
    }

    private static int count(Map<String, Object> body, String key, int current) {
        Object v = body.get(key);
        if (v == null) return current;
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()))
            throw invalid(key + " must be a whole number");
        double d = n.doubleValue();
        if (d < 0 || d > MAX_WORKERS) throw invalid(key + " must be from 0 to " + MAX_WORKERS + ", got " + n);
        return (int) d;
    }

    private static String state(Map<String, Object> body, String current) {
        Object v = body.get("endpoint_state");
        if (v == null) return current;
        String s = v.toString().toLowerCase(Locale.ROOT);
        if (!s.equals("active") && !s.equals("suspended") && !s.equals("stopped"))
            throw invalid("endpoint_state must be active, suspended or stopped, got " + v);
        return s;
    }

    private static DomainException invalid(String msg) {
        return new DomainException.BadRequest("invalid_args", msg);
    }
}
