package io.gpumarket.server.serverless;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the workers' libraries report and what routing has handed them, in memory (a report comes every second
 * from every worker: heartbeats are memory, design §7). The load figures the autoscaler reads come from here:
 * a routed request counts on its worker from the route until the worker reports it done ({@code /delete_requests/}),
 * and a route answered "waiting" counts on its endpoint while its client keeps polling.
 *
 * <p>Held per server: with several replicas each routes and hears a share; the autoscaler's replica (one, under a
 * lock later) sees the reports that reach it. docs/serverless.md says so.
 */
public final class WorkerReports {
    /** A worker heard from less recently than this is not routed to. */
    public static final Duration FRESH = Duration.ofSeconds(30);
    /** A routed request not reported done after this long no longer counts (the client's own timeout is 600 s). */
    static final Duration IN_FLIGHT_TTL = Duration.ofMinutes(11);
    /** A "waiting" route not polled again within this long no longer counts (the client polls at most 5 s apart). */
    static final Duration WAITING_TTL = Duration.ofSeconds(12);
    /**
     * How long a worker a client could not use gets no new requests (and after that, only once it has reported
     * again): the client library re-routes at once, without a pause, when a worker drops or refuses its connection.
     */
    public static final Duration SHUNNED_FOR = Duration.ofSeconds(5);

    /** A worker's last report. */
    public record Status(boolean loaded, double maxPerf, double curLoad, String error, String url, Instant heard) {}

    private record Assigned(long endpointId, long workerId, double cost, Instant at) {}

    private record Waiting(long endpointId, double cost, Instant at) {}

    private final Map<Long, Status> statuses = new ConcurrentHashMap<>();
    private final Map<Long, Assigned> inFlight = new ConcurrentHashMap<>();
    private final Map<Long, Waiting> waiting = new ConcurrentHashMap<>();
    private final Map<Long, Instant> idleSince = new ConcurrentHashMap<>();
    private final Map<Long, Instant> shunned = new ConcurrentHashMap<>();
    private final Map<Long, Instant> firstSeen = new ConcurrentHashMap<>();
    private final AtomicLong nextIdx;

    /** @param now request numbers start from the clock so a restarted server does not reuse recent ones */
    public WorkerReports(Instant now) {
        this.nextIdx = new AtomicLong(now.toEpochMilli() * 1000);
    }

    /** A {@code /worker_status/} report. A worker once loaded stays loaded until it is restarted ({@link #forget}). */
    public void status(
            long workerId, double loadTime, double maxPerf, double curLoad, String error, String url, Instant now) {
        statuses.merge(
                workerId,
                new Status(loadTime > 0, maxPerf, curLoad, blankToNull(error), url, now),
                (old, fresh) -> new Status(
                        old.loaded() || fresh.loaded(),
                        fresh.maxPerf() > 0 ? fresh.maxPerf() : old.maxPerf(),
                        fresh.curLoad(),
                        fresh.error() != null ? fresh.error() : old.error(),
                        fresh.url() != null ? fresh.url() : old.url(),
                        now));
    }

    /** A {@code /delete_requests/} report: these requests are done on that worker. */
    public void finished(long workerId, Collection<Long> requestIdxs) {
        for (Long idx : requestIdxs) inFlight.computeIfPresent(idx, (k, a) -> a.workerId() == workerId ? null : a);
    }

    public Status status(long workerId) {
        return statuses.get(workerId);
    }

    /** Whether the worker is loaded, error-free, heard from lately, and not shunned after a client's retry. */
    public boolean ready(long workerId, Instant now) {
        Status s = statuses.get(workerId);
        return s != null
                && s.loaded()
                && s.error() == null
                && s.url() != null
                && !s.heard().plus(FRESH).isBefore(now)
                && !shuns(workerId, s, now);
    }

    private boolean shuns(long workerId, Status s, Instant now) {
        Instant since = shunned.get(workerId);
        if (since == null) return false;
        if (now.isBefore(since.plus(SHUNNED_FOR)) || !s.heard().isAfter(since)) return true;
        shunned.remove(workerId, since);
        return false;
    }

    /**
     * The worker a request was routed to and not yet reported done, if any. The client library routes a request
     * again (with its number) only when that worker failed it: the connection was refused or dropped, or the worker
     * answered an error the library retries.
     */
    public java.util.OptionalLong routedTo(long requestIdx) {
        Assigned a = requestIdx > 0 ? inFlight.get(requestIdx) : null;
        return a == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(a.workerId());
    }

    /** A client could not use this worker: no new requests go to it for a while ({@link #SHUNNED_FOR}). */
    public void shun(long workerId, Instant now) {
        shunned.put(workerId, now);
    }

    /** A route to a worker; {@code requestIdx} 0 takes a new number. @return the request's number */
    public long assign(long endpointId, long workerId, double cost, long requestIdx, Instant now) {
        long idx = requestIdx > 0 ? requestIdx : nextIdx.incrementAndGet();
        waiting.remove(idx);
        inFlight.put(idx, new Assigned(endpointId, workerId, cost, now));
        idleSince.remove(workerId);
        return idx;
    }

    /** A route answered "waiting"; {@code requestIdx} 0 takes a new number. @return the request's number */
    public long waiting(long endpointId, double cost, long requestIdx, Instant now) {
        long idx = requestIdx > 0 ? requestIdx : nextIdx.incrementAndGet();
        inFlight.remove(idx);
        waiting.put(idx, new Waiting(endpointId, cost, now));
        return idx;
    }

    /** The workload in flight on a worker: routed and not reported done, or what it reports, whichever is more. */
    public double load(long workerId, Instant now) {
        inFlight.values().removeIf(a -> a.at().plus(IN_FLIGHT_TTL).isBefore(now));
        double routed = inFlight.values().stream()
                .filter(a -> a.workerId() == workerId)
                .mapToDouble(Assigned::cost)
                .sum();
        Status s = statuses.get(workerId);
        return Math.max(routed, s == null ? 0 : s.curLoad());
    }

    /** The workload of an endpoint's routes answered "waiting" whose clients still poll. */
    public double waitingLoad(long endpointId, Instant now) {
        waiting.values().removeIf(w -> w.at().plus(WAITING_TTL).isBefore(now));
        return waiting.values().stream()
                .filter(w -> w.endpointId() == endpointId)
                .mapToDouble(Waiting::cost)
                .sum();
    }

    /** Since when the worker has had nothing in flight (now, the first time it is seen idle); null while busy. */
    public Instant idleSince(long workerId, double load, Instant now) {
        if (load > 0) {
            idleSince.remove(workerId);
            return null;
        }
        return idleSince.computeIfAbsent(workerId, w -> now);
    }

    /**
     * When this server first looked at the worker (now, the first time): a server that has just started, or a replica
     * that has just taken the autoscaler over, has heard no report yet and must give a worker time to report before
     * counting it as never loaded.
     */
    public Instant firstSeen(long workerId, Instant now) {
        return firstSeen.computeIfAbsent(workerId, w -> now);
    }

    /** Forgets a worker that was stopped, restarted or destroyed: its library starts over and reports afresh. */
    public void forget(long workerId) {
        firstSeen.remove(workerId);
        statuses.remove(workerId);
        idleSince.remove(workerId);
        shunned.remove(workerId);
        inFlight.values().removeIf(a -> a.workerId() == workerId);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
