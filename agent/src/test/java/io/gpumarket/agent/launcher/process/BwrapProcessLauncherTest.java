package io.gpumarket.agent.launcher.process;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpumarket.agent.launcher.HostTools;
import org.junit.jupiter.api.BeforeAll;

/** The process launcher's contract with bubblewrap, the sandbox hosts get when the bubblewrap package is installed. */
class BwrapProcessLauncherTest extends ProcessLauncherContract {
    @BeforeAll
    static void bubblewrapIsInstalled() {
        assumeTrue(HostTools.find("bwrap").isPresent(), "bubblewrap is not installed (apt-get install bubblewrap)");
    }

    @Override
    SandboxKind sandbox() {
        return SandboxKind.BWRAP;
    }
}
