package io.gpumarket.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.store.StoreBusyException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The SQLite write gate: one writer at a time, a nested write passes, a full or slow queue is refused. */
class WriteGateTest {

    /** Holds the gate on a virtual thread until released. */
    private static CountDownLatch hold(WriteGate gate, CountDownLatch holding) {
        CountDownLatch release = new CountDownLatch(1);
        Thread.ofVirtual().start(() -> gate.through(() -> {
            holding.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        return release;
    }

    @Test
    void a_write_nested_in_a_write_of_the_same_thread_passes_without_waiting() {
        WriteGate gate = WriteGate.fair(Duration.ofMillis(100), 1);
        assertThat(gate.through(() -> gate.heldByCurrentThread() && gate.through(() -> true))).isTrue();
        assertThat(gate.heldByCurrentThread()).isFalse();
    }

    @Test
    void a_write_that_waits_longer_than_the_limit_is_refused_with_a_retry_after() throws Exception {
        WriteGate gate = WriteGate.fair(Duration.ofMillis(200), 10);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = hold(gate, holding);
        holding.await();
        assertThatThrownBy(() -> gate.through(() -> "never")).isInstanceOf(StoreBusyException.class)
                .satisfies(e -> assertThat(((StoreBusyException) e).retryAfter()).isPositive());
        release.countDown();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> "written".equals(gate.through(() -> "written")));
    }

    @Test
    void a_write_is_refused_at_once_when_the_queue_is_full() throws Exception {
        WriteGate gate = WriteGate.fair(Duration.ofSeconds(30), 1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = hold(gate, holding);
        holding.await();
        Thread waiter = Thread.ofVirtual().start(() -> gate.through(() -> null));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
        long began = System.nanoTime();
        assertThatThrownBy(() -> gate.through(() -> "never")).isInstanceOf(StoreBusyException.class)
                .hasMessageContaining("1 writes are queued");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        release.countDown();
        waiter.join(Duration.ofSeconds(10));
        assertThat(gate.waiting()).isZero();
    }
}
