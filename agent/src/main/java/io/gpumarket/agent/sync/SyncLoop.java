package io.gpumarket.agent.sync;

import io.gpumarket.agent.ServerLink;
import io.gpumarket.api.agent.SyncRequest;
import io.gpumarket.api.agent.SyncResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent and the server in step with two loops over the one sync call:
 * <ul>
 *   <li>the <b>puller</b> long-polls: it hands in the revision it applied and the server answers when the
 *       machine's desired state changes (or after the wait, which doubles as the heartbeat);</li>
 *   <li>the <b>pusher</b> sends instance reports the moment runners produce them, so a renter sees
 *       {@code running} without waiting for the next poll.</li>
 * </ul>
 * Both apply the answer they get; applying is idempotent, and an answer to a sync asked before the last applied
 * answer was received changes no instance that answer decided about ({@link Reconciler#apply(SyncResponse, long)}). When the server is unreachable the loops back off
 * and retry; instances on the host keep running.
 */
public final class SyncLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncLoop.class);

    private final ServerLink link;
    private final Reconciler reconciler;
    private final ReportBuffer reports;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * The long poll the server last asked for (it lengthens it as its fleet grows), else 6/10 of the heartbeat: either
     * way well inside the silence after which the machine counts as gone.
     */
    private volatile int waitSeconds = 6;

    private Thread puller;
    private Thread pusher;
    private Thread poller;

    SyncLoop(ServerLink link, Reconciler reconciler, ReportBuffer reports) {
        this.link = link;
        this.reconciler = reconciler;
        this.reports = reports;
    }

    /** The first sync happens here, before returning, so the instances are recovered when the agent is up. */
    void start() throws InterruptedException {
        while (!closed.get()) {
            try {
                exchange(0);
                break;
            } catch (Exception e) {
                LOG.warn("first sync with the server failed ({}); retrying", e.toString());
                Thread.sleep(1000);
            }
        }
        puller = Thread.ofVirtual().name("sync-pull").start(() -> loop(() -> exchange(waitSeconds)));
        pusher = Thread.ofVirtual()
                .name("sync-push")
                .start(() -> loop(() -> {
                    if (reports.awaitPending(1000)) exchange(0);
                }));
        poller = Thread.ofVirtual()
                .name("instance-poll")
                .start(() -> loop(() -> {
                    reconciler.pollAll();
                    Thread.sleep(2000);
                }));
    }

    private void exchange(int wait) throws Exception {
        ReportBuffer.Batch batch = reports.drain();
        SyncResponse answer;
        long asked = System.nanoTime();
        try {
            answer = link.sync(new SyncRequest(
                    reconciler.revision(),
                    wait,
                    batch.reports(),
                    batch.removed().stream().toList(),
                    reconciler.orphans()));
        } catch (Exception e) {
            reports.restore(batch);
            throw e;
        }
        waitSeconds = answer.nextWaitSeconds();
        reconciler.apply(answer, asked);
    }

    private interface Step {
        void run() throws Exception;
    }

    private void loop(Step step) {
        long backoff = 250;
        while (!closed.get()) {
            try {
                step.run();
                backoff = 250;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed.get()) return;
                LOG.warn("sync failed ({}); retrying in {} ms", e.toString(), backoff);
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, Duration.ofSeconds(5).toMillis());
            }
        }
    }

    @Override
    public void close() {
        closed.set(true);
        for (Thread t : new Thread[] {puller, pusher, poller}) {
            if (t != null) t.interrupt();
        }
    }
}
