package io.gpumarket.server.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.gpumarket.api.Wire;
import io.gpumarket.core.bid.BidState;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.machine.MaintenanceWindow;
import io.gpumarket.core.notify.NotificationType;
import io.gpumarket.store.NotificationRepo.NewEvent;
import io.gpumarket.store.Repos;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The one call each state change makes to be told (docs/webhooks.md): it records the event in the repositories it is
 * given, which must be those of the change's own transaction, so the event (the outbox row, and a pending delivery per
 * subscribed webhook) commits or rolls back with the change — a crash, even a kill -9, loses none.
 */
public final class Events {
    private Events() {}

    /** A contract was made (RentService, in the rent's transaction). */
    public static void instanceCreated(Repos tx, Instance i, Instant now) {
        record(
                tx,
                now,
                NotificationType.INSTANCE_CREATED,
                i.ownerId(),
                "Instance " + i.id() + " created",
                "Instance " + i.id() + " was created on machine " + i.machineId() + " with " + i.numGpus() + " GPU(s).",
                i.id(),
                i.machineId(),
                Map.of("num_gpus", i.numGpus()));
    }

    /**
     * The machine's agent reported a new actual status (AgentService, in the sync's transaction): running is
     * {@code instance_started}; stopped and exited are {@code instance_stopped}; others are not told.
     */
    public static void statusReported(Repos tx, long instanceId, String status, String statusMsg, Instant now) {
        NotificationType type = switch (status == null ? "" : status) {
            case "running" -> NotificationType.INSTANCE_STARTED;
            case "stopped", "exited" -> NotificationType.INSTANCE_STOPPED;
            default -> null;
        };
        if (type == null) return;
        Instance i = tx.instances().find(instanceId).orElse(null);
        if (i == null) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("actual_status", status);
        data.put("status_msg", statusMsg);
        record(
                tx,
                now,
                type,
                i.ownerId(),
                "Instance " + i.id() + " is " + status,
                "Instance " + i.id() + " on machine " + i.machineId() + " is now " + status
                        + (statusMsg == null || statusMsg.isBlank() ? "." : ": " + statusMsg),
                i.id(),
                i.machineId(),
                data);
    }

    /** A contract ended (InstanceService, in the destroy's transaction). */
    public static void instanceDestroyed(Repos tx, Instance i, Instant now) {
        record(
                tx,
                now,
                NotificationType.INSTANCE_DESTROYED,
                i.ownerId(),
                "Instance " + i.id() + " destroyed",
                "Instance " + i.id() + " on machine " + i.machineId() + " was destroyed.",
                i.id(),
                i.machineId(),
                Map.of());
    }

    /** A bid lost its GPUs (BidArbiter): told when it enters notice or is preempted, not at every re-decision. */
    public static void bidChanged(Repos tx, Instance i, BidState next, Instant now) {
        if (next.phase() == i.bidState().phase()) return;
        if (next.phase() != BidState.Phase.NOTICE && next.phase() != BidState.Phase.PREEMPTED) return;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("phase", next.phase().wire());
        data.put("reason", next.reason());
        if (next.noticeUntil() != null)
            data.put("stopping_at", next.noticeUntil().getEpochSecond());
        record(
                tx,
                now,
                NotificationType.OUTBID,
                i.ownerId(),
                "Instance " + i.id() + " was outbid",
                next.phase() == BidState.Phase.NOTICE
                        ? "Instance " + i.id() + " lost its GPUs (" + next.reason() + ") and will be stopped at "
                                + next.noticeUntil() + "."
                        : "Instance " + i.id() + " lost its GPUs (" + next.reason() + ") and was stopped.",
                i.id(),
                i.machineId(),
                data);
    }

    /** An instance was stopped because its owner's credit ran out (CreditGuard, in the stop's transaction). */
    public static boolean outOfCredit(Repos tx, Instance i, long balanceMicros, Instant now) {
        record(
                tx,
                now,
                NotificationType.LOW_CREDIT,
                i.ownerId(),
                "Credit exhausted: instance " + i.id() + " stopped",
                "Your balance is $" + String.format("%.2f", balanceMicros / 1e6) + "; instance " + i.id()
                        + " was stopped. Add credit, then start it again.",
                i.id(),
                i.machineId(),
                Map.of("balance", balanceMicros / 1e6));
        return true;
    }

    /**
     * Maintenance was announced on a machine (MaintenanceService, in the window's transaction): its host is told, and
     * every renter with a live contract on it.
     */
    public static MaintenanceWindow maintenanceAnnounced(Repos tx, long hostId, MaintenanceWindow w, Instant now) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("start", w.start().getEpochSecond());
        data.put("end", w.end().getEpochSecond());
        data.put("category", w.category());
        String when = "from " + w.start() + " to " + w.end() + " (" + w.category() + ")";
        record(
                tx,
                now,
                NotificationType.MAINTENANCE_SCHEDULED,
                hostId,
                "Maintenance scheduled on machine " + w.machineId(),
                "Maintenance of machine " + w.machineId() + " is scheduled " + when + ".",
                null,
                w.machineId(),
                data);
        Set<Long> renters = new LinkedHashSet<>();
        for (Instance i : tx.instances().liveOnMachine(w.machineId())) renters.add(i.ownerId());
        for (long renter : renters)
            record(
                    tx,
                    now,
                    NotificationType.UPCOMING_DOWNTIME,
                    renter,
                    "Upcoming downtime on machine " + w.machineId(),
                    "Machine " + w.machineId() + ", where you rent, will be down for maintenance " + when
                            + ". Save your work.",
                    null,
                    w.machineId(),
                    data);
        return w;
    }

    /** A machine has been silent past the offline threshold (OfflineWatch). */
    public static void machineOffline(Repos tx, long hostId, long machineId, Instant lastSeen, Instant now) {
        record(
                tx,
                now,
                NotificationType.MACHINE_OFFLINE,
                hostId,
                "Machine " + machineId + " is offline",
                "Machine " + machineId + " has not been heard from since " + lastSeen + ".",
                null,
                machineId,
                Map.of("last_seen", lastSeen.getEpochSecond()));
    }

    static void record(
            Repos tx,
            Instant now,
            NotificationType type,
            long userId,
            String subject,
            String message,
            Long instanceId,
            Long machineId,
            Map<String, Object> data) {
        String json;
        try {
            json = Wire.mapper().writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event's data is plain values", e);
        }
        tx.notifications().record(new NewEvent(userId, type.key(), subject, message, instanceId, machineId, json), now);
    }
}
