package io.gpumarket.server.service;

import io.gpumarket.core.machine.Machine;
import io.gpumarket.store.Repos;
import java.time.Instant;

/**
 * Giving GPUs back to a machine's free count, through the same compare-and-set that renting takes them with.
 * Inside a transaction: on SQLite nothing else can change the row meanwhile; on PostgreSQL a concurrent rent or
 * release may, and the loop re-reads and tries again.
 */
final class Gpus {
    private static final int ATTEMPTS = 20;

    private Gpus() {}

    /** Frees {@code gpus} GPUs (never above the machine's count) and answers the machine as it is after. */
    static Machine release(Repos tx, long machineId, int gpus, Instant now) {
        return setFree(tx, machineId, m -> Math.min(m.spec().numGpus(), m.freeGpus() + gpus), now);
    }

    /** Sets the free count to what {@code target} computes from the current row, retrying on a lost race. */
    static Machine setFree(Repos tx, long machineId, java.util.function.ToIntFunction<Machine> target, Instant now) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Machine m = tx.machines()
                    .find(machineId)
                    .orElseThrow(
                            () -> new IllegalStateException("machine " + machineId + " of an instance does not exist"));
            int free = target.applyAsInt(m);
            if (free == m.freeGpus() || tx.machines().compareAndSetFreeGpus(machineId, m.freeGpus(), free, now)) {
                return tx.machines().find(machineId).orElseThrow();
            }
        }
        throw new IllegalStateException(
                "free GPUs of machine " + machineId + " kept changing; gave up after " + ATTEMPTS + " tries");
    }
}
