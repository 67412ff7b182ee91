package io.gpumarket.server.replica;

import io.gpumarket.core.replica.FeedCursor;
import io.gpumarket.server.agent.MachineRevisions;
import io.gpumarket.server.market.MarketIndex;
import io.gpumarket.store.jdbc.ChangeLogReader;
import io.gpumarket.store.jdbc.ChangeLogReader.Change;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this replica follow the changes other replicas commit (PostgreSQL; docs/high-availability.md): a thread of its
 * own waits for the change log's notification (at most {@link #POLL} — a missed notification costs no more), reads the
 * rows after its place ({@link FeedCursor}), and for every machine another replica changed re-reads the machine into
 * the offer index ({@link MarketIndex#refresh}) and bumps its revision, which wakes its agent's long poll held here
 * ({@link MachineRevisions#bump}). Rows this replica wrote itself are skipped: it applied those changes already.
 *
 * <p>The place is kept in memory; a replica starts from the log's head as read before it built its index, so a
 * change committed while it started is applied (twice at worst, which only re-reads a machine).
 */
public final class ChangeFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
    /** The longest wait for a notification before the log is read anyway. */
    static final Duration POLL = Duration.ofSeconds(1);
    /** How long a missing log number is waited for (a transaction between its change and its commit). */
    static final Duration HOLE_WAIT = Duration.ofSeconds(30);

    static final int BATCH = 5_000;

    private final ChangeLogReader log;
    private final String self;
    private final MarketIndex market;
    private final MachineRevisions revisions;
    private final Clock clock;
    private final FeedCursor cursor;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long applied;

    private ChangeFeed(
            ChangeLogReader log, long start, String self, MarketIndex market, MachineRevisions revisions, Clock clock) {
        this.log = log;
        this.self = self;
        this.market = market;
        this.revisions = revisions;
        this.clock = clock;
        this.cursor = new FeedCursor(start, HOLE_WAIT);
        this.thread = Thread.ofPlatform().daemon().name("change-feed").unstarted(this::run);
    }

    /** The log's head now: read before the index is built, and handed to {@link #start}. */
    public static long head(ChangeLogReader log) {
        try {
            return log.head();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the market change log: " + e.getMessage(), e);
        }
    }

    public static ChangeFeed start(
            ChangeLogReader log, long start, String self, MarketIndex market, MachineRevisions revisions) {
        ChangeFeed feed = new ChangeFeed(log, start, self, market, revisions, Clock.systemUTC());
        feed.thread.start();
        return feed;
    }

    /** Changes of other replicas applied so far (machines re-read; for tests and metrics). */
    public long applied() {
        return applied;
    }

    private void run() {
        boolean failing = false;
        while (!closed) {
            try {
                catchUp();
                log.await(POLL);
                if (failing) LOG.info("the market change feed recovered");
                failing = false;
            } catch (SQLException | RuntimeException e) {
                if (closed) return;
                if (!failing) LOG.error("the market change feed failed; retrying every {}", POLL, e);
                failing = true;
                try {
                    Thread.sleep(POLL.toMillis()); // a database outage: try again at the feed's own pace
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /** Reads and applies the log until it has nothing newer. */
    private void catchUp() throws SQLException {
        while (!closed) {
            List<Change> rows = log.after(cursor.position(), BATCH);
            if (rows.isEmpty()) return;
            Map<Long, Change> bySeq = rows.stream().collect(Collectors.toMap(Change::seq, Function.identity()));
            List<Long> fresh = cursor.accept(
                    new ArrayList<>(bySeq.keySet()).stream().sorted().toList(), clock.instant());
            Set<Long> machines = new LinkedHashSet<>();
            for (long seq : fresh) {
                Change c = bySeq.get(seq);
                if (!self.equals(c.origin())) machines.add(c.machineId());
            }
            for (long machineId : machines) {
                market.refresh(machineId);
                revisions.bump(machineId);
            }
            applied += machines.size();
            // a batch that moved nothing (only rows applied before, above a hole) waits for the next notification
            if (fresh.isEmpty() || rows.size() < BATCH) return;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.close();
    }
}
