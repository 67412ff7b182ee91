package io.gpumarket.testkit.e2e;

import io.gpumarket.testkit.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes with the process launcher: a real server, a real agent in its own JVM, and the stock ssh client. */
class VolumesEndToEndTest {
    @TempDir
    Path dir;

    @Test
    void a_volume_outlives_its_instance_is_read_back_by_the_next_one_holds_its_size_and_is_wiped_when_deleted()
            throws Exception {
        try (LiveMarket market = new LiveMarket(TestServer.start(), dir)) {
            VolumeJourney.run(market, true);
        }
    }
}
