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
 * <p>Entries also expire, a safety net, after a time between half the maximum age and the whole of it (spread, so the
 * states read at a start do not all expire in the same second). The maximum age costs reads: every machine's state
 * is read again once per age, 167 reads a second for 10,000 machines at 60 s (2 to 12 statements each), which was a
 * fifth of the server's CPU under the host simulator's idle fleet (docs/benchmarks.md). A single server bumps the
 * revision of every change it makes ({@link #ALONE}: 15 minutes); with several replicas on PostgreSQL another
 * replica's change reaches this one through the change log ({@code server/…/replica/ChangeFeed}), which does not yet
 * carry every table a desired state is read from (copy tickets, account variables), so the net stays short there
 * ({@link #WITH_REPLICAS}).
 */
public final class DesiredStates {
    /** The maximum age on a server that is the only writer of its database (SQLite). */
    public static final Duration ALONE = Duration.ofMinutes(15);

    /** The maximum age where other replicas may change what a machine should run (PostgreSQL). */
    public static final Duration WITH_REPLICAS = Duration.ofSeconds(60);

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

    private record Entry(long revision, State state) {}

    private final Cache<Long, Entry> byMachine;

    public DesiredStates(Duration maxAge) {
        long max = maxAge.toNanos();
        this.byMachine = Caffeine.newBuilder()
                .expireAfter(new Expiry<Long, Entry>() {
                    @Override
                    public long expireAfterCreate(Long machine, Entry e, long now) {
                        return max / 2
                                + java.util.concurrent.ThreadLocalRandom.current()
                                        .nextLong(max / 2 + 1);
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
    }

    /** The machine's state at {@code revision} (read by the caller just before): cached, or computed and kept. */
    public State at(long machineId, long revision, Supplier<State> compute) {
        Entry e = byMachine.getIfPresent(machineId);
        if (e != null && e.revision() == revision) return e.state();
        State fresh = compute.get();
        byMachine.put(machineId, new Entry(revision, fresh));
        return fresh;
    }
}
