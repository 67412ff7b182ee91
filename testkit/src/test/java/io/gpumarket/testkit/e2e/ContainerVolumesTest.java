package io.gpumarket.testkit.e2e;

import io.gpumarket.testkit.ContainerEngine;
import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes with containers: the agent on {@code --runtime docker} against Podman's API service (skipped without an
 * engine, required in CI: {@link ContainerEngine#require}).
 */
class ContainerVolumesTest {
    @TempDir
    Path dir;

    @Test
    void a_volume_mounted_into_containers_outlives_its_instance_holds_its_size_and_is_wiped_when_deleted()
            throws Exception {
        ContainerEngine engine = ContainerEngine.require();
        try (LiveMarket market = new LiveMarket(TestServer.start(), dir, engine)) {
            VolumeJourney.run(market, true);
        }
    }
}
