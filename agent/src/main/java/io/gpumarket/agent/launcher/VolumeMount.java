package io.gpumarket.agent.launcher;

/**
 * A volume an instance mounts (docs/volumes.md): the machine's volume {@code id} of {@code sizeGb}, at
 * {@code mountPath} inside the instance.
 */
public record VolumeMount(long id, long sizeGb, String mountPath) {}
