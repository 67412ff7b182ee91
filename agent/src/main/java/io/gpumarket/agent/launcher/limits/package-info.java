/**
 * Resource limits of process-launched instances: {@link io.gpumarket.agent.launcher.limits.InstanceLimits} is what
 * the process launcher calls; {@link io.gpumarket.agent.launcher.limits.ResourceShare} the one rule of what share of
 * the machine a contract gets (the container launcher uses it too); {@link io.gpumarket.agent.launcher.limits.Cgroups}
 * with its v1 and v2 implementations writes memory, pids and CPU limits;
 * {@link io.gpumarket.agent.launcher.limits.DiskImage} enforces the rented disk;
 * {@link io.gpumarket.agent.launcher.limits.ResourceIsolation} says what this host can and cannot enforce.
 */
package io.gpumarket.agent.launcher.limits;
