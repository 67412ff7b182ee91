/**
 * The container launcher: instances as containers from the renter's image, through the Docker Engine API that
 * Docker and {@code podman system service} both serve. {@link io.gpumarket.agent.launcher.docker.DockerLauncher}
 * is the launcher; {@link io.gpumarket.agent.launcher.docker.EngineClient} the API client over the Unix socket;
 * the pure parts (what the create request holds, the CPU/memory share, which GPUs, pull progress, registry
 * logins) are unit-tested on their own.
 */
package io.gpumarket.agent.launcher.docker;
