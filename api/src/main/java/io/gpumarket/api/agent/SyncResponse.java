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
 * @param volumes          every volume that should exist on the machine (docs/volumes.md); the agent wipes the
 *                         storage of volumes it keeps that are not listed. Null from a server that does not say (the
 *                         agent then leaves its volumes alone)
 * @param cloudCopies      the cloud copies to run on the machine's instances now (docs/copy.md "Cloud copy"); a copy
 *                         no longer listed is stopped
 * @param holdSeconds      how long the agent's next idle long poll should ask to be held ({@code wait_seconds}): the
 *                         server lengthens it as its fleet grows (SyncPacing). Null from a server that does not say
 *                         (the agent then asks for 6/10 of the heartbeat)
 */
public record SyncResponse(
        long machineId,
        long revision,
        int heartbeatSeconds,
        List<DesiredInstance> instances,
        List<DesiredVolume> volumes,
        List<CloudCopyTask> cloudCopies,
        Integer holdSeconds) {
    public SyncResponse {
        instances = instances == null ? List.of() : List.copyOf(instances);
        volumes = volumes == null ? null : List.copyOf(volumes);
        cloudCopies = cloudCopies == null ? List.of() : List.copyOf(cloudCopies);
    }

    /** A state that says nothing about volumes, cloud copies or the hold. */
    public SyncResponse(long machineId, long revision, int heartbeatSeconds, List<DesiredInstance> instances) {
        this(machineId, revision, heartbeatSeconds, instances, null, null, null);
    }

    /** The long poll an agent should ask for next: the server's word, else 6/10 of the heartbeat (at least 1 s). */
    public int nextWaitSeconds() {
        return holdSeconds != null && holdSeconds > 0
                ? holdSeconds
                : Math.max(1, Math.max(1, heartbeatSeconds) * 6 / 10);
    }
}
