package io.gpumarket.server.agent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.gpumarket.api.agent.DesiredInstance;
import io.gpumarket.api.agent.DesiredVolume;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * Each machine's desired state as last answered, with the revision it was read at: an idle long poll that ends with
 * the revision unchanged answers the same state again without reading the database (it was four or more reads per
 * heartbeat). Every change to what an agent should run bumps its machine's revision ({@link MachineRevisions}), so a
 * cached state whose revision is still current is still right. The revision is read before the state is computed:
 * a change racing with the computation bumps the revision, and the entry is never used again.
 *
 * <p>Entries also expire, a safety net, after a time between half of {@link #MAX_AGE} and the whole of it (spread, so
 * the states read at a start do not all expire in the same second). The age costs reads: every machine's state is
 * read again once per age — at 60 s, 167 reads a second for 10,000 machines (2 to 12 statements each), a fifth of
 * the server's CPU when a started fleet's states expired together under the host simulator (docs/benchmarks.md). A
 * server alone on its database bumps the revision of every change it makes. With several server replicas on one
 * database a replica's revision follows another's changes only through the change log
 * ({@code server/…/replica/ChangeFeed}), a moment late: answers are then always read fresh ({@link #fresh}).
 */
public final class DesiredStates {
    static final Duration MAX_AGE = Duration.ofMinutes(15);

    /** What a machine should hold: its instances and its volumes, and the cloud copies to run on it. */
    public record State(
            List<DesiredInstance> instances,
            List<DesiredVolume> volumes,
            List<io.gpumarket.api.agent.CloudCopyTask> cloudCopies) {
        public State {
            instances = List.copyOf(instances);
            volumes = List.copyOf(volumes);
            cloudCopies = List.copyOf(cloudCopies);
        }
    }

    /** @param startedNanos when its computation started: of two at one revision, the later-started is kept */
    private record Entry(long revision, long startedNanos, State state) {}

    private static final long MAX_NANOS = MAX_AGE.toNanos();

    private final Cache<Long, Entry> byMachine = Caffeine.newBuilder()
            .expireAfter(new Expiry<Long, Entry>() {
                @Override
                public long expireAfterCreate(Long machine, Entry e, long now) {
                    return MAX_NANOS / 2
                            + java.util.concurrent.ThreadLocalRandom.current().nextLong(MAX_NANOS / 2 + 1);
                }

                @Override
                public long expireAfterUpdate(Long machine, Entry e, long now, long remaining) {
                    return expireAfterCreate(machine, e, now);
                }

                @Override
                public long expireAfterRead(Long machine, Entry e, long now, long remaining) {
                    return remaining;
                }
            })
            .build();

    /** The machine's state at {@code revision} (read by the caller just before): cached, or computed and kept. */
    public State at(long machineId, long revision, Supplier<State> compute) {
        Entry e = byMachine.getIfPresent(machineId);
        if (e != null && e.revision() == revision) return e.state();
        return fresh(machineId, revision, compute);
    }

    /**
     * The machine's state computed now, whatever is kept, then kept for {@code revision} — unless a computation for
     * the same revision that started later is kept already (two syncs of one machine at once: the older read must
     * not replace the newer).
     *
     * <p>With several replicas a replica's revision lags the database by the change feed's propagation time: its
     * agent may already run an instance another replica told it to, which this replica's kept state does not list yet,
     * and an agent destroys what its desired state leaves out. Every sync is then answered from this
     * ({@code AgentService.followReplicas}).
     */
    public State fresh(long machineId, long revision, Supplier<State> compute) {
        long started = System.nanoTime();
        State state = compute.get();
        byMachine
                .asMap()
                .merge(
                        machineId,
                        new Entry(revision, started, state),
                        (kept, mine) -> kept.revision() == mine.revision() && kept.startedNanos() > mine.startedNanos()
                                ? kept
                                : mine);
        return state;
    }
}
