package io.gpumarket.agent.host;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's network speed test, repeated: Vast's host daemon re-measures roughly once a day, so a machine's {@code
 * inet_up}/{@code inet_down} follow its link instead of freezing at what it measured when the agent started. Each wait
 * is the interval jittered by ±25 %, so a fleet installed (or restarted) together does not test against the server at
 * once, and drifts further apart with every round. A failed test reports nothing; the next round tries again.
 */
public final class SpeedTestSchedule implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpeedTestSchedule.class);
    /** How far each wait may stray from the interval, as a fraction of it. */
    static final double JITTER = 0.25;
    /** Vast's daemons test about once a day. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(24);

    private final Thread thread;

    private SpeedTestSchedule(Thread thread) {
        this.thread = thread;
    }

    /**
     * Runs {@code test} every {@code interval} (jittered) after a first wait, handing each measurement to {@code
     * report}; nothing when the interval is zero (off).
     *
     * @param test   one speed test; empty when it failed
     * @param report what to do with a measurement (re-describe the machine to the server); its failures are logged
     */
    public static SpeedTestSchedule start(
            Duration interval, Supplier<Optional<SpeedTest.Result>> test, Consumer<SpeedTest.Result> report) {
        if (interval.isZero()) return new SpeedTestSchedule(null);
        if (interval.isNegative()) throw new IllegalArgumentException("a speed test interval cannot be negative");
        Thread t = Thread.ofVirtual().name("speed-test").unstarted(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Thread.sleep(jittered(interval, ThreadLocalRandom.current().nextDouble()));
                    Optional<SpeedTest.Result> measured = test.get();
                    if (measured.isEmpty()) continue;
                    try {
                        report.accept(measured.get());
                    } catch (RuntimeException e) {
                        LOG.warn("could not report the measured network speed ({}); next round retries", e.toString());
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
        t.start();
        return new SpeedTestSchedule(t);
    }

    /** The interval scaled by a factor in [1 - JITTER, 1 + JITTER) chosen by {@code unit} in [0, 1). */
    static Duration jittered(Duration interval, double unit) {
        double factor = 1 - JITTER + 2 * JITTER * unit;
        return Duration.ofNanos(Math.round(interval.toNanos() * factor));
    }

    public boolean running() {
        return thread != null && thread.isAlive();
    }

    @Override
    public void close() {
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
