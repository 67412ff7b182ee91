package io.gpumarket.api.agent;

import java.util.List;
import java.util.Map;

/**
 * One cloud copy (vastai's {@code cloud copy}, docs/copy.md "Cloud copy") as the instance's agent is told it in
 * {@link SyncResponse#cloudCopies()}: rclone run inside the instance between a path there and a path on the renter's
 * S3-compatible storage. The storage's options (rclone's names: {@code type}, {@code provider}, {@code endpoint},
 * {@code access_key_id}, {@code secret_access_key}, {@code region}) come only with the task and only while it is
 * listed; the agent hands them to rclone on its standard input, never on a command line.
 *
 * @param id           the copy's id (progress and end are reported under it)
 * @param instanceId   the instance whose files are copied
 * @param toCloud      true for "Instance To Cloud", false for "Cloud To Instance"
 * @param instancePath the path inside the instance
 * @param cloudPath    {@code bucket/prefix} on the storage
 * @param flags        rclone flags the renter chose from vastai's list ({@code --dry-run}, {@code --size-only} …)
 * @param remote       the storage's rclone options
 */
public record CloudCopyTask(
        long id,
        long instanceId,
        boolean toCloud,
        String instancePath,
        String cloudPath,
        List<String> flags,
        Map<String, String> remote) {
    public CloudCopyTask {
        flags = flags == null ? List.of() : List.copyOf(flags);
        remote = remote == null ? Map.of() : Map.copyOf(remote);
    }

    /** The options without their values, so a task can be logged or printed. */
    @Override
    public String toString() {
        return "CloudCopyTask[id=" + id + ", instance=" + instanceId + ", toCloud=" + toCloud + ", " + instancePath
                + " ↔ " + cloudPath + ", flags=" + flags + ", remote=" + remote.keySet() + "]";
    }
}
