package io.gpumarket.agent.launcher.process;

/**
 * Which sandbox the {@link ProcessLauncher} uses. {@link #AUTO} (the default) takes {@link #ISOLATED} (bubblewrap
 * in the instance's own user and network namespaces, pasta for its traffic) where the host has all it needs, else
 * bubblewrap on the host's network, else util-linux's unshare — the last two are weak isolation, which the agent
 * refuses to offer strangers unless told to. Naming one makes the launcher fail fast when it is missing.
 */
public enum SandboxKind {
    AUTO,
    ISOLATED,
    BWRAP,
    UNSHARE
}
