package io.gpumarket.core.machine;

import io.gpumarket.core.machine.HeartbeatHistory.Outage;
import io.gpumarket.core.machine.HeartbeatHistory.Start;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A machine's reliability (0..1, shown as {@code reliability} and {@code reliability2}): the share of the recent
 * past its agent was heard from, times the share of recent instance starts that reached running. Both shares are
 * weighted by recency (weight halves every {@link ReliabilityPolicy#halfLife()}, nothing older than the window
 * counts), and both start from a prior that new machines show until their own history outweighs it.
 * docs/reliability.md states the formula; this is its only implementation.
 *
 * <pre>
 *   w(s)    = 2^(−(now − s) / halfLife)                      weight of an instant s
 *   O       = ∫ w over [max(firstSeen, now − window), now]   watched time
 *   D       = ∫ w over the outages within that span           silent time (an ongoing silence counts up to now)
 *   P       = priorWeight · w(firstSeen)                      the prior, fading with the machine's age
 *   uptime  = (P · initial + O − D) / (P + O)                 (initial when the agent never synced)
 *   starts  = (priorStarts + Σ w(ok starts)) / (priorStarts + Σ w(all starts))   starts within the window
 *   reliability = uptime · starts
 * </pre>
 */
public final class Reliability {
    private Reliability() {}

    /**
     * @param silentAfter how long after its last contact a machine counts as silent (the liveness threshold at which
     *                    its instances show unknown, as for the stored outages)
     */
    public static double of(
            ReliabilityPolicy policy, HeartbeatHistory history, List<Start> starts, Duration silentAfter, Instant now) {
        Weights w = new Weights(policy, now);
        return clamp(uptime(policy, history, silentAfter, w) * startShare(policy, starts, w));
    }

    /**
     * The starts with each implausible host report (traffic beyond its link, counters going back: host anomalies)
     * counted as a failed start at the time it was found: a host whose claims cannot be believed is as unreliable as
     * one whose instances fail to start, and renters filtering on reliability see it.
     */
    public static List<Start> withImplausibleReports(List<Start> starts, List<Instant> implausible) {
        if (implausible.isEmpty()) return starts;
        List<Start> all = new java.util.ArrayList<>(starts.size() + implausible.size());
        all.addAll(starts);
        for (Instant at : implausible) all.add(new Start(at, false));
        return all;
    }

    static double uptime(ReliabilityPolicy policy, HeartbeatHistory h, Duration silentAfter, Weights w) {
        if (h.firstSeen() == null) return policy.initial();
        double from = Math.max(w.seconds(h.firstSeen()), w.windowStart);
        double watched = w.integral(from, w.now);
        double silent = 0;
        for (Outage o : h.outages())
            silent += w.integral(Math.max(from, w.seconds(o.from())), Math.min(w.now, w.seconds(o.to())));
        if (h.lastSeen() != null) {
            silent += w.integral(Math.max(from, w.seconds(h.lastSeen().plus(silentAfter))), w.now);
        }
        silent = Math.min(silent, watched);
        double prior = policy.priorWeight().toMillis() / 1000.0 * w.at(w.seconds(h.firstSeen()));
        if (prior + watched <= 0) return policy.initial();
        return (prior * policy.initial() + watched - silent) / (prior + watched);
    }

    static double startShare(ReliabilityPolicy policy, List<Start> starts, Weights w) {
        double ok = 0;
        double all = 0;
        for (Start s : starts) {
            double at = w.seconds(s.at());
            if (at < w.windowStart || at > w.now) continue;
            double weight = w.at(at);
            all += weight;
            if (s.ok()) ok += weight;
        }
        return (policy.priorStarts() + ok) / (policy.priorStarts() + all);
    }

    private static double clamp(double r) {
        return Math.max(0, Math.min(1, r));
    }

    /** Exponential recency weights, in seconds relative to now. */
    static final class Weights {
        final double now;
        final double windowStart;
        private final double lambda;

        Weights(ReliabilityPolicy policy, Instant now) {
            this.now = seconds(now);
            this.windowStart = this.now - policy.window().toMillis() / 1000.0;
            this.lambda = Math.log(2) / (policy.halfLife().toMillis() / 1000.0);
        }

        double seconds(Instant t) {
            return t.toEpochMilli() / 1000.0;
        }

        /** w(s). */
        double at(double s) {
            return Math.exp(-lambda * (now - s));
        }

        /** ∫ w over [a, b]; 0 when the span is empty. */
        double integral(double a, double b) {
            if (b <= a) return 0;
            return (at(b) - at(a)) / lambda;
        }
    }
}
