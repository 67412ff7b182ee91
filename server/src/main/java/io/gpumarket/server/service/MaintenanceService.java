package io.gpumarket.server.service;

import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MaintenanceWindow;
import io.gpumarket.server.auth.Principal;
import io.gpumarket.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Maintenance windows: hosts announce and cancel them on their machines; renters see the windows of their
 * instances' machines until they end. Announcing "notifies" the machine's renters by showing the window on
 * their instances (there is no e-mail); the answer says how many instances that is.
 */
public final class MaintenanceService {
    /** A stored window and how many live instances now show it. */
    public record Scheduled(MaintenanceWindow window, int notified) {}

    private final Store store;
    private final MachineService machines;
    private final Clock clock;

    public MaintenanceService(Store store, MachineService machines, Clock clock) {
        this.store = store;
        this.machines = machines;
        this.clock = clock;
    }

    public Scheduled schedule(
            Principal host, long machineId, Object sdate, Double durationHours, String category, String reason) {
        Machine m = machines.owned(host, machineId, "Only the machine owner can schedule its maintenance");
        Instant now = clock.instant();
        MaintenanceWindow window = store.inTransaction(tx -> io.gpumarket.server.notify.Events.maintenanceAnnounced(
                tx,
                m.hostId(),
                tx.maintenances()
                        .add(MaintenanceWindow.request(m.id(), sdate, durationHours, category, reason, now), now),
                now));
        return new Scheduled(
                window, store.repos().instances().liveOnMachine(m.id()).size());
    }

    /** How many windows a cancellation deleted, and when. */
    public record Cancelled(int deleted, Instant at) {}

    /** Deletes the machine's windows that have not ended. */
    public Cancelled cancel(Principal host, long machineId) {
        Machine m = machines.owned(host, machineId, "Only the machine owner can cancel its maintenance");
        Instant now = clock.instant();
        return new Cancelled(store.repos().maintenances().cancel(m.id(), now), now);
    }

    /** Windows that have not ended on the given machines of the caller (all of them when {@code machineIds} is null). */
    public List<MaintenanceWindow> ofHost(Principal host, List<Long> machineIds) {
        List<Long> ids = machineIds == null
                ? machines.ofHost(host).stream().map(Machine::id).toList()
                : machineIds.stream()
                        .map(id -> machines.owned(host, id, "Only the machine owner can see its maintenance")
                                .id())
                        .toList();
        return store.repos().maintenances().notEnded(ids, clock.instant());
    }

    /** What renters see: windows that have not ended on these machines. */
    public List<MaintenanceWindow> onMachines(Collection<Long> machineIds) {
        return store.repos().maintenances().notEnded(machineIds, clock.instant());
    }
}
