package io.gpumarket.agent.launcher;

/**
 * Which sandbox the {@link ProcessLauncher} uses. {@link #AUTO} (the default) takes bubblewrap when it is
 * installed and works, else util-linux's unshare; naming one makes the launcher fail fast when it is missing.
 */
public enum SandboxKind {
    AUTO, BWRAP, UNSHARE
}
