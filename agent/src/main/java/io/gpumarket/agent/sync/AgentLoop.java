package io.gpumarket.agent.sync;

import io.gpumarket.agent.ServerLink;
import io.gpumarket.agent.cloud.CloudCopies;
import io.gpumarket.agent.copy.CopyJobs;
import io.gpumarket.agent.copy.CopyPull;
import io.gpumarket.agent.launcher.Launcher;
import java.time.Clock;
import java.time.Duration;

/** The sync machinery of one agent, assembled (the composition root {@code Agent} builds this). */
public final class AgentLoop implements AutoCloseable {
    private final Reconciler reconciler;
    private final SyncLoop loop;
    private final CopyJobs copies;
    private final CloudCopies cloudCopies;

    public AgentLoop(ServerLink link, Launcher launcher, Door door, Duration stopGrace, Clock clock) {
        ReportBuffer reports = new ReportBuffer();
        this.reconciler = new Reconciler(launcher, door, reports, stopGrace, clock, new LogShipper(launcher, link));
        this.copies = new CopyJobs(launcher, door, new CopyPull.Progress() {
            @Override
            public void report(long copyId, String state, String message) {
                link.reportCopy(copyId, state, message);
            }

            @Override
            public boolean reportEnd(long copyId, String state, String message) {
                return link.reportCopy(copyId, state, message);
            }

            @Override
            public void note(long instanceId, String line) {
                reconciler.note(instanceId, line);
            }
        });
        this.cloudCopies = new CloudCopies(launcher, new CloudCopies.Progress() {
            @Override
            public void report(long copyId, String state, String message) {
                link.reportCloudCopy(copyId, state, message);
            }

            @Override
            public void note(long instanceId, String line) {
                reconciler.note(instanceId, line);
            }
        });
        reconciler.afterApply(desired -> {
            copies.apply(desired);
            cloudCopies.apply(desired);
        });
        this.loop = new SyncLoop(link, reconciler, reports);
    }

    /** How many instances are in each state (the wire string), for the agent's metrics. */
    public java.util.Map<String, Integer> states() {
        return reconciler.states();
    }

    /** Returns after the first sync: instances found on the host are recovered or removed by then. */
    public void start() throws InterruptedException {
        loop.start();
    }

    /** Stops syncing; instances keep running (an agent restart must not stop them). */
    @Override
    public void close() {
        loop.close();
        copies.close();
        cloudCopies.close();
        reconciler.detachAll();
    }
}
