/**
 * How instances run on a host. {@link io.gpumarket.agent.launcher.Launcher} is the contract the agent's runners
 * use; {@link io.gpumarket.agent.launcher.process.ProcessLauncher} is the implementation for hosts without a container
 * engine, {@link io.gpumarket.agent.launcher.docker.DockerLauncher} the one for hosts with Docker or Podman
 * ({@code --runtime docker}): instances as containers from the renter's image, with CPU, memory and GPU limits.
 *
 * <h2>The process launcher's sandbox, and its limits</h2>
 * An instance is a process tree in its own mount, PID, UTS and IPC namespaces (bubblewrap when installed, else
 * util-linux unshare plus a generated setup script; both give the same layout, see
 * {@link io.gpumarket.agent.launcher.process.HostView}): its own /root, /workspace and /tmp from
 * {@code <state>/instances/<id>/}, its own /proc, a minimal /dev, and the rest of the host read-only, with the
 * agent's state directory, password hashes and the host's SSH private keys hidden. Root inside keeps only chown,
 * fowner, fsetid, kill, sys_chroot and audit_write.
 *
 * <p>What it is not: a container-grade boundary for untrusted tenants. Root inside is uid 0 on the host (no user
 * namespace), there is no seccomp filter and no GPU limit (every GPU of the host is visible), and the network is the host's: instances reach each
 * other's ports, the host's loopback services and abstract Unix sockets, and bind host ports directly (a
 * published port is the host port with the same number). Root-owned host files other than the hidden ones are
 * readable. Hosts renting to strangers should run a container engine ({@code --runtime docker}).
 *
 * <p>Resources are limited ({@link io.gpumarket.agent.launcher.limits}): a cgroup per instance holds its share of
 * the machine's memory (no swap), processes and CPU, and its rented disk is an ext4 image of that size, where the
 * host offers cgroups, loop devices and e2fsprogs; the agent logs at start what it cannot limit.
 */
package io.gpumarket.agent.launcher;
