package io.gpumarket.agent.ssh;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the SSH front door carries, for the agent's metrics: sessions open now (every connection to any instance's
 * listener, from its handshake to its close) and bytes relayed between renters' channels and the programs running
 * in instances (exec, shell, scp, rsync, sftp). Adders only: a 10 GB copy adds once per 32 KB buffer.
 */
public final class DoorTraffic {
    final AtomicInteger sessions = new AtomicInteger();
    final LongAdder toInstances = new LongAdder();
    final LongAdder fromInstances = new LongAdder();

    public int sessionsOpen() {
        return sessions.get();
    }

    /** Bytes from renters' channels into instances' programs (their stdin). */
    public long bytesIn() {
        return toInstances.sum();
    }

    /** Bytes from instances' programs (stdout and stderr) out to renters' channels. */
    public long bytesOut() {
        return fromInstances.sum();
    }
}
