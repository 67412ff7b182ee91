package io.gpumarket.agent.host;

import io.gpumarket.agent.ServerLink;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's network speed, measured as Vast hosts' daemons do: one bounded download and one bounded upload
 * against the market's server, timed ({@code inet_down} / {@code inet_up}, Mbps). Renters' tools filter on these
 * (dstack keeps only offers with {@code inet_down > 128}), so a host reports what it measured rather than nothing.
 * A failed test is no measurement: the declared figures, else the registration's, stand.
 */
public final class SpeedTest {
    private static final Logger LOG = LoggerFactory.getLogger(SpeedTest.class);
    /** No link is measured faster than this (a loopback test would otherwise report absurd figures). */
    static final double MAX_MBPS = 100_000;

    /** Measured speeds, Mbps. */
    public record Result(double upMbps, double downMbps) {}

    private SpeedTest() {}

    public static Optional<Result> run(ServerLink link) {
        try {
            long t0 = System.nanoTime();
            int down = link.speedTestDownload();
            long t1 = System.nanoTime();
            int up = link.speedTestUpload();
            long t2 = System.nanoTime();
            Result r = new Result(mbps(up, t2 - t1), mbps(down, t1 - t0));
            LOG.info(
                    "network speed test against the server: {} Mbps down, {} Mbps up",
                    Math.round(r.downMbps()),
                    Math.round(r.upMbps()));
            return Optional.of(r);
        } catch (IOException | RuntimeException e) {
            // an older server without the route, or one that refused it: no measurement, not a failed start
            LOG.warn("network speed test failed ({}); reporting the declared speeds", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Megabits per second for {@code bytes} in {@code nanos}, at most {@link #MAX_MBPS}. */
    static double mbps(long bytes, long nanos) {
        if (nanos <= 0) return MAX_MBPS;
        return Math.min(MAX_MBPS, Math.round(bytes * 8.0 / 1e6 / (nanos / 1e9) * 10) / 10.0);
    }
}
