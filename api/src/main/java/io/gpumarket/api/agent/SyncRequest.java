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
 */
public record SyncRequest(long revision, int waitSeconds, List<InstanceReport> instances, List<Long> removed) {
    public SyncRequest {
        instances = instances == null ? List.of() : List.copyOf(instances);
        removed = removed == null ? List.of() : List.copyOf(removed);
    }
}
