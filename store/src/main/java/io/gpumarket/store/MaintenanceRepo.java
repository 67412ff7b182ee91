package io.gpumarket.store;

import io.gpumarket.core.machine.MaintenanceWindow;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Hosts' announced maintenance windows. */
public interface MaintenanceRepo {
    /** Stores the window (its id is ignored) and returns it with its id. */
    MaintenanceWindow add(MaintenanceWindow window, Instant now);

    /** Windows of these machines that have not ended at {@code now}, by start then id. */
    List<MaintenanceWindow> notEnded(Collection<Long> machineIds, Instant now);

    /** Deletes the machine's windows that have not ended at {@code now}; how many. */
    int cancel(long machineId, Instant now);
}
