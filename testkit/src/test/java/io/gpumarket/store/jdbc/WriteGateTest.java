package io.gpumarket.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gpumarket.store.StoreBusyException;
import io.gpumarket.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's write gate: one writer at a time, a nested write joins, a full or slow queue is refused, and writers that
 * queued together share one commit in which a failing write undoes only its own rows.
 */
class WriteGateTest {
    @TempDir
    Path dir;

    private DataSource writerPool;
    private DataSource readerPool;
    private Jdbi writer;
    private Jdbi reader;

    @BeforeEach
    void open() {
        StoreConfig config = StoreConfig.of("jdbc:sqlite:" + dir.resolve("gate.db"));
        SqliteDialect sqlite = new SqliteDialect();
        readerPool = sqlite.open(config);
        writerPool = sqlite.openWriter(config, readerPool);
        writer = Jdbi.create(writerPool);
        reader = Jdbi.create(readerPool);
        writer.useHandle(h -> h.execute("CREATE TABLE t (v INTEGER NOT NULL UNIQUE)"));
    }

    @AfterEach
    void close() throws Exception {
        ((AutoCloseable) writerPool).close();
        ((AutoCloseable) readerPool).close();
    }

    private WriteGate gate(Duration maxWait, int maxQueue) {
        return WriteGate.grouped(writer, maxWait, maxQueue, 256);
    }

    private static int insert(org.jdbi.v3.core.Handle h, int v) {
        return h.execute("INSERT INTO t (v) VALUES (?)", v);
    }

    /** What another connection sees: only what was committed. */
    private List<Integer> committed() {
        return reader.withHandle(h ->
                h.createQuery("SELECT v FROM t ORDER BY v").mapTo(Integer.class).list());
    }

    /** Holds the gate inside a write of {@code value} on a virtual thread until released. */
    private CountDownLatch hold(WriteGate gate, int value, CountDownLatch holding) {
        CountDownLatch release = new CountDownLatch(1);
        Thread.ofVirtual()
                .start(() -> gate.write(h -> {
                    insert(h, value);
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
    void a_write_nested_in_a_write_of_the_same_thread_joins_its_transaction() {
        WriteGate gate = gate(Duration.ofMillis(100), 1);
        int counted = gate.write(h -> insert(h, 1)
                + gate.write(inner -> insert(inner, 2))
                + gate.joined(inner -> inner.createQuery("SELECT count(*) FROM t")
                        .mapTo(Integer.class)
                        .one()));
        assertThat(counted).isEqualTo(4);
        assertThat(gate.heldByCurrentThread()).isFalse();
        assertThat(committed()).containsExactly(1, 2);
        assertThat(gate.commits()).isEqualTo(1);
    }

    @Test
    void a_write_that_fails_alone_leaves_nothing_behind() {
        WriteGate gate = gate(Duration.ofSeconds(5), 10);
        assertThatThrownBy(() -> gate.write(h -> {
                    insert(h, 1);
                    throw new IllegalStateException("refused");
                }))
                .hasMessage("refused");
        assertThat(committed()).isEmpty();
        int inserted = gate.write(h -> insert(h, 1));
        assertThat(inserted).isEqualTo(1);
        assertThat(committed()).containsExactly(1);
    }

    @Test
    void writers_queued_together_share_one_commit_and_a_failing_one_undoes_only_its_own_rows() throws Exception {
        WriteGate gate = gate(Duration.ofSeconds(30), 100);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = hold(gate, 1, holding);
        holding.await();
        long commitsBefore = gate.commits();
        Thread two = Thread.ofVirtual().start(() -> gate.write(h -> insert(h, 2)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
        Throwable[] refused = new Throwable[1];
        Thread three = Thread.ofVirtual().start(() -> {
            try {
                gate.write(h -> {
                    insert(h, 3);
                    return insert(h, 2); // the unique constraint refuses it: 3 must go too
                });
            } catch (RuntimeException e) {
                refused[0] = e;
            }
        });
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 2);
        Thread four = Thread.ofVirtual().start(() -> gate.write(h -> insert(h, 4)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 3);
        assertThat(committed()).as("nothing is visible before its commit").isEmpty();

        release.countDown();
        for (Thread t : List.of(two, three, four))
            assertThat(t.join(Duration.ofSeconds(10))).isTrue();

        assertThat(refused[0]).isNotNull();
        assertThat(committed()).containsExactly(1, 2, 4);
        assertThat(gate.commits() - commitsBefore)
                .as("one commit for the writers that queued together")
                .isEqualTo(1);
    }

    @Test
    void a_write_that_waits_longer_than_the_limit_is_refused_with_a_retry_after() throws Exception {
        WriteGate gate = gate(Duration.ofMillis(200), 10);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = hold(gate, 1, holding);
        holding.await();
        assertThatThrownBy(() -> gate.write(h -> insert(h, 2)))
                .isInstanceOf(StoreBusyException.class)
                .satisfies(
                        e -> assertThat(((StoreBusyException) e).retryAfter()).isPositive());
        release.countDown();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> committed().equals(List.of(1)));
        int inserted = gate.write(h -> insert(h, 3));
        assertThat(inserted).isEqualTo(1);
        assertThat(committed()).containsExactly(1, 3);
    }

    @Test
    void a_write_is_refused_at_once_when_the_queue_is_full() throws Exception {
        WriteGate gate = gate(Duration.ofSeconds(30), 1);
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = hold(gate, 1, holding);
        holding.await();
        Thread waiter = Thread.ofVirtual().start(() -> gate.write(h -> insert(h, 2)));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> gate.waiting() == 1);
        long began = System.nanoTime();
        assertThatThrownBy(() -> gate.write(h -> insert(h, 3)))
                .isInstanceOf(StoreBusyException.class)
                .hasMessageContaining("1 writes are queued");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
        release.countDown();
        assertThat(waiter.join(Duration.ofSeconds(10))).isTrue();
        assertThat(gate.waiting()).isZero();
        assertThat(committed()).containsExactly(1, 2);
    }
}
