package io.gpumarket.core.serverless;

import io.gpumarket.core.serverless.ScalingAction.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The autoscaler's decision for one endpoint at one instant (docs/serverless.md "How the autoscaler decides"): pure,
 * so a fake clock tests it. The server gathers the inputs (workers, load, the owner's credit) and carries the actions
 * out.
 *
 * <ol>
 *   <li><b>Load</b> is the workload in flight on the workers plus the workload of route calls answered "waiting"
 *       lately, never below {@code min_load}.
 *   <li><b>Hot workers needed</b>: load ÷ ({@code target_util} × a worker's measured throughput), rounded up; the
 *       throughput is the mean of the ready workers' benchmarks, {@link #DEFAULT_PERF} while none is known. At most
 *       {@code max_workers}.
 *   <li><b>Cold target</b>: {@code cold_workers}, or more when {@code cold_mult} × the hot need asks for more
 *       capacity rented; hot + cold never above {@code max_workers}.
 *   <li><b>Up</b>: too few running → start stopped workers first (they load fastest), then rent new ones, within
 *       {@code max_workers} and what the owner's credit covers for an hour.
 *   <li><b>Down</b>: too many running → a ready worker idle for the grace period is stopped while the cold target
 *       wants more stopped ones, else destroyed. Stopped workers beyond the cold target are destroyed; while the
 *       endpoint has fewer rented than hot + cold, more are rented (they load, then idle into stopped ones).
 *   <li>A worker that reported an error is destroyed (and replaced by the rules above on a later tick).
 * </ol>
 */
public final class ScalingRules {
    /** The throughput assumed for a worker before any benchmark is known (Vast's default request cost per second). */
    public static final double DEFAULT_PERF = 100.0;

    private ScalingRules() {}

    /** What one tick decided: the actions in order, and one sentence on the endpoint's state. */
    public record Plan(List<ScalingAction> actions, String summary) {}

    /**
     * @param inFlight     workload in flight on the endpoint's workers
     * @param waiting      workload of route calls answered "waiting" within the last few seconds
     * @param creditCovers how many more running workers the owner's credit covers for an hour
     * @param idleGrace    how long a ready worker stays idle before it is stopped or destroyed
     */
    public static Plan decide(
            EndpointSettings s,
            List<WorkerView> workers,
            double inFlight,
            double waiting,
            int creditCovers,
            Duration idleGrace,
            Instant now) {
        List<ScalingAction> out = new ArrayList<>();
        List<WorkerView> live = new ArrayList<>();
        for (WorkerView w : workers) {
            if (w.state() == WorkerState.ERRORED) {
                out.add(new ScalingAction(
                        Kind.DESTROY, w.id(), "worker " + w.id() + " failed (" + w.error() + "): destroyed"));
            } else live.add(w);
        }
        double load = Math.max(inFlight + waiting, s.minLoad());
        double perf = live.stream()
                .filter(w -> w.state() == WorkerState.READY && w.perf() > 0)
                .mapToDouble(WorkerView::perf)
                .average()
                .orElse(DEFAULT_PERF);
        double rawNeed = load <= 0 ? 0 : Math.ceil(load / (s.targetUtil() * perf));
        int hotNeeded = (int) Math.min(s.maxWorkers(), rawNeed);
        if ("stopped".equals(s.state())) hotNeeded = 0;
        int coldTarget = Math.max(s.coldWorkers(), (int) Math.ceil(s.coldMult() * hotNeeded) - hotNeeded);
        coldTarget = Math.max(0, Math.min(coldTarget, s.maxWorkers() - hotNeeded));
        boolean mayGrow = "active".equals(s.state());

        List<WorkerView> running =
                live.stream().filter(w -> w.state() != WorkerState.STOPPED).toList();
        List<WorkerView> stopped =
                live.stream().filter(w -> w.state() == WorkerState.STOPPED).toList();
        int hot = running.size();
        int cold = stopped.size();
        int total = live.size();
        int credit = Math.max(0, creditCovers);
        String need = String.format(
                Locale.ROOT,
                "load %s needs %d hot worker%s (throughput %s/s each at target_util %s), %d running, %d stopped",
                num(load),
                hotNeeded,
                hotNeeded == 1 ? "" : "s",
                num(perf),
                num(s.targetUtil()),
                hot,
                cold);
        List<String> limits = new ArrayList<>();
        if (rawNeed > s.maxWorkers() && hotNeeded > 0) limits.add("max_workers " + s.maxWorkers() + " reached");

        if (hot < hotNeeded && mayGrow) {
            int deficit = hotNeeded - hot;
            for (WorkerView w : stopped) {
                if (deficit == 0) break;
                if (credit == 0) {
                    limits.add("the owner's credit covers no more running workers");
                    break;
                }
                out.add(new ScalingAction(Kind.START, w.id(), "start worker " + w.id() + ": " + need));
                deficit--;
                credit--;
                cold--;
                hot++;
            }
            int room = s.maxWorkers() - total;
            int rent = Math.min(deficit, Math.max(0, room));
            if (rent < deficit) limits.add("max_workers " + s.maxWorkers() + " reached");
            if (rent > credit) {
                limits.add("the owner's credit covers no more running workers");
                rent = credit;
            }
            for (int i = 0; i < rent; i++) out.add(new ScalingAction(Kind.RENT, 0, "rent a worker: " + need));
            credit -= rent;
            total += rent;
            hot += rent;
        } else if (hot > hotNeeded) {
            int surplus = hot - hotNeeded;
            boolean now0 = "stopped".equals(s.state());
            List<WorkerView> idle = running.stream()
                    .filter(w -> now0
                            || (w.state() == WorkerState.READY
                                    && w.load() <= 0
                                    && w.idleSince() != null
                                    && !w.idleSince().plus(idleGrace).isAfter(now)))
                    .sorted(Comparator.comparing(
                            WorkerView::idleSince, Comparator.nullsFirst(Comparator.naturalOrder())))
                    .toList();
            for (WorkerView w : idle) {
                if (surplus == 0) break;
                String why = now0 ? "the endpoint is stopped" : "idle " + idleGrace.toSeconds() + " s and " + need;
                if (cold < coldTarget || now0) {
                    out.add(new ScalingAction(Kind.STOP, w.id(), "stop worker " + w.id() + " (kept cold): " + why));
                    cold++;
                } else {
                    out.add(new ScalingAction(Kind.DESTROY, w.id(), "destroy worker " + w.id() + ": " + why));
                    total--;
                }
                hot--;
                surplus--;
            }
        }

        if (!"stopped".equals(s.state())) {
            // stopped workers beyond the cold target go, newest first (the oldest have proven they load)
            List<WorkerView> stillStopped = new ArrayList<>(stopped);
            stillStopped.removeIf(w -> out.stream().anyMatch(a -> a.workerId() == w.id()));
            stillStopped.sort(Comparator.comparingLong(WorkerView::id).reversed());
            // while running workers are short (credit or limits held a start back) stopped ones are kept to start
            for (WorkerView w : hot < hotNeeded && total <= s.maxWorkers() ? List.<WorkerView>of() : stillStopped) {
                if (cold <= coldTarget && total <= s.maxWorkers()) break;
                out.add(new ScalingAction(
                        Kind.DESTROY,
                        w.id(),
                        "destroy stopped worker " + w.id() + ": " + cold + " stopped, cold target " + coldTarget
                                + ", max_workers " + s.maxWorkers()));
                cold--;
                total--;
            }
            // fewer rented than hot + cold: rent more; they load, then idle into stopped ones
            int wanted = Math.min(s.maxWorkers(), hotNeeded + coldTarget);
            if (mayGrow && total < wanted && hot >= hotNeeded) {
                int rent = Math.min(wanted - total, credit);
                if (rent < wanted - total) limits.add("the owner's credit covers no more running workers");
                for (int i = 0; i < rent; i++)
                    out.add(new ScalingAction(
                            Kind.RENT,
                            0,
                            "rent a worker for the cold target " + coldTarget + ": " + total + " rented, " + wanted
                                    + " wanted"));
            }
        }
        String summary = need + ", cold target " + coldTarget
                + (limits.isEmpty()
                        ? ""
                        : "; " + String.join("; ", limits.stream().distinct().toList()))
                + (mayGrow ? "" : "; the endpoint is " + s.state());
        return new Plan(List.copyOf(out), summary);
    }

    private static String num(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15
                ? Long.toString((long) d)
                : String.format(Locale.ROOT, "%.2f", d);
    }
}
