package io.gpumarket.api.agent;

/**
 * A volume that should exist on the machine (docs/volumes.md): its storage is kept across instances and wiped when
 * the volume leaves the machine's list.
 *
 * @param sizeGb    the rented size; the host enforces it
 * @param mountPath where an instance mounts it (in {@link DesiredInstance#volumes()}); null in the machine's list
 */
public record DesiredVolume(long id, long sizeGb, String mountPath) {}
