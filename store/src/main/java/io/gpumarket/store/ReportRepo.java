package io.gpumarket.store;

import io.gpumarket.core.machine.MachineReport;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Renters' reports about machines. */
public interface ReportRepo {
    /** Stores the report (its id is ignored) and returns it with its id. */
    MachineReport add(MachineReport report);

    /** The machine's reports, oldest first. */
    List<MachineReport> ofMachine(long machineId);

    /** Reports per machine; machines without any are absent. */
    Map<Long, Integer> counts(Collection<Long> machineIds);
}
