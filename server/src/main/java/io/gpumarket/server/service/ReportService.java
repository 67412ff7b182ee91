package io.gpumarket.server.service;

import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineReport;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.util.List;

/**
 * Renters' reports about machines: a renter files one on an instance they rent or rented (destroyed ones too, since
 * a broken machine is often why it was destroyed); the machine's host reads them, and {@code num_reports} counts them.
 */
public final class ReportService {
    private final Store store;
    private final MachineService machines;
    private final Clock clock;

    public ReportService(Store store, MachineService machines, Clock clock) {
        this.store = store;
        this.machines = machines;
        this.clock = clock;
    }

    /** Another user's instance and a missing one look the same (404), as for every instance route. */
    public MachineReport file(Principal renter, long instanceId, String problem, String message) {
        Instance i = store.repos()
                .instances()
                .find(instanceId)
                .filter(x -> x.ownerId() == renter.userId())
                .orElseThrow(() -> InstanceService.notFound(instanceId));
        return store.repos()
                .reports()
                .add(MachineReport.request(i.machineId(), i.id(), renter.userId(), problem, message, clock.instant()));
    }

    public List<MachineReport> ofMachine(Principal host, long machineId) {
        Machine m = machines.owned(host, machineId, "Only the machine owner can read its reports");
        return store.repos().reports().ofMachine(m.id());
    }
}
