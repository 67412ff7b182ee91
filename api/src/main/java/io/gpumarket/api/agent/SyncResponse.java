package io.gpumarket.api.agent;

import java.util.List;

/**
 * The machine's desired state: every instance that should exist on it, with its intended status. An instance
 * missing from the list is to be destroyed (its files and listener removed) and reported in
 * {@link SyncRequest#removed()}.
 *
 * @param revision         changes whenever anything in {@code instances} changes; sent back in the next sync
 * @param heartbeatSeconds how often the agent must sync at the latest; after three missed beats its
 *                         instances show as {@code unknown}, later {@code offline}
 */
public record SyncResponse(long machineId, long revision, int heartbeatSeconds, List<DesiredInstance> instances) {
    public SyncResponse {
        instances = instances == null ? List.of() : List.copyOf(instances);
    }
}
