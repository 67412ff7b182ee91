package io.gpumarket.server.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.server.agent.AgentLane;
import io.gpumarket.store.Store;
import java.time.Duration;
import java.util.Optional;

/**
 * Machine tokens to their machines, cached: every agent sync authenticates, and reading the machine's row for each
 * one was a database read per heartbeat. An entry stays while its agent keeps syncing and goes {@link #IDLE} after the
 * last use; it is dropped at once when the machine's row changes through its agent ({@link #forget}, on registration)
 * — as it must be when a machine's token is rotated or the machine is removed, the day either exists (today neither
 * does: a token is fixed at registration and machines are never deleted). Agent routes use the machine handed out for
 * its id only, which never changes, so an entry need not be re-read while it is used (a fixed time to live made
 * 10,000 agents cost 167 token reads a second). A token that matches nothing is not cached (a guessing client costs
 * a read each time, as before).
 */
public final class MachineTokens {
    /** How long an entry stays after its last use. */
    static final Duration IDLE = Duration.ofMinutes(10);

    private final Store store;
    private final AgentLane lane;
    private final Cache<String, Machine> byHash =
            Caffeine.newBuilder().expireAfterAccess(IDLE).maximumSize(1_000_000).build();

    /** @param lane where the reads of tokens not cached yet queue (thousands of agents reconnecting at once) */
    public MachineTokens(Store store, AgentLane lane) {
        this.store = store;
        this.lane = lane;
    }

    /** The machine whose token has this hash. */
    Optional<Machine> find(String tokenHash) {
        Machine cached = byHash.getIfPresent(tokenHash);
        if (cached != null) return Optional.of(cached);
        Optional<Machine> found = lane.read(() -> store.repos().machines().findByTokenHash(tokenHash));
        found.ifPresent(m -> byHash.put(tokenHash, m));
        return found;
    }

    /** Machines read at the server's start (before it serves), so that their agents' first syncs need no read. */
    public void prime(java.util.Map<String, Machine> byTokenHash) {
        byHash.putAll(byTokenHash);
    }

    /** The machine changed (its token, its row) or is gone: its token is looked up afresh next time. */
    public void forget(long machineId) {
        byHash.asMap().values().removeIf(m -> m.id() == machineId);
    }
}
