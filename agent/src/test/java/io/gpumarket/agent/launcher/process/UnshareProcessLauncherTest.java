package io.gpumarket.agent.launcher.process;

/** The process launcher's contract with the util-linux fallback, what hosts without bubblewrap get. */
class UnshareProcessLauncherTest extends ProcessLauncherContract {
    @Override
    SandboxKind sandbox() {
        return SandboxKind.UNSHARE;
    }
}
