package io.gpumarket.api.agent;

import java.util.List;

/**
 * What an agent sends on every sync ({@code POST /api/v0/agent/sync/}, authenticated with its machine token):
 * a heartbeat, the actual state of every instance it runs (only the changed ones are required, sending all is
 * allowed), and the instances it has torn down since the last sync.
 *
 * @param revision    the desired-state revision the agent last applied (0 at start)
 * @param waitSeconds 0 to answer at once; otherwise the server may hold the call up to this long until the
 *                    machine's desired state changes (a long poll), then answers with the new state
 * @param orphans     instances the agent found on its host that the desired state does not list, left running for the
 *                    host to decide about; null when the agent has not looked yet (or cannot tell), which keeps
 *                    what the server knows
 */
public record SyncRequest(
        long revision, int waitSeconds, List<InstanceReport> instances, List<Long> removed, List<Long> orphans) {
    public SyncRequest {
        instances = instances == null ? List.of() : List.copyOf(instances);
        removed = removed == null ? List.of() : List.copyOf(removed);
        orphans = orphans == null ? null : List.copyOf(orphans);
    }

    /** A sync that says nothing about orphans. */
    public SyncRequest(long revision, int waitSeconds, List<InstanceReport> instances, List<Long> removed) {
        this(revision, waitSeconds, instances, removed, null);
    }
}
