package io.gpumarket.server.service;

import io.gpumarket.core.error.DomainException;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeOffer;
import io.gpumarket.store.Repos;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The volumes that move with an instance to another machine (docs/migrate.md, "Volumes"): those it mounts, which no
 * other instance mounts. The destination's room for them comes from its machine's volume offer, held from the
 * request (the offer's used space counts them, {@code JdbcVolumeRepo}); at the move each volume's row goes to the
 * destination at that offer's price with its past placement kept for the books ({@code VolumeRepo#move}); a move
 * given up after that moves them back.
 */
final class MigrationVolumes {
    private MigrationVolumes() {}

    /**
     * The live volumes the instance mounts; refused (409 {@code volume_shared}) when another instance not destroyed
     * mounts one of them too: its contents cannot leave the machine while that instance uses them.
     */
    static List<Volume> of(Repos repos, Instance i) {
        List<Volume> out = mounted(repos, i);
        for (Volume v : out) {
            List<Long> others = new ArrayList<>(repos.volumes().attachedTo(v.id()));
            others.remove(i.id());
            if (!others.isEmpty()) {
                throw new DomainException.Conflict(
                        "volume_shared",
                        "Instance " + i.id() + " mounts volume " + v.id() + ", which instance(s) " + others
                                + " mount too; a volume moves only with the one instance that mounts it. Destroy"
                                + " the others (or move without that volume) first.");
            }
        }
        return out;
    }

    /** The live volumes the instance mounts, wherever they are now. */
    static List<Volume> mounted(Repos repos, Instance i) {
        List<Volume> out = new ArrayList<>();
        for (var mount : repos.volumes().mountsOf(List.of(i.id())).getOrDefault(i.id(), List.of()))
            repos.volumes().byId(mount.volumeId()).filter(Volume::live).ifPresent(out::add);
        return out;
    }

    static long sizeGb(List<Volume> volumes) {
        return volumes.stream().mapToLong(Volume::sizeGb).sum();
    }

    /**
     * Why {@code machineId} cannot take the volumes now (no live volume offer, or too little free room in it), or
     * empty when it can (or there are none). The free room already leaves out what other moves hold there.
     */
    static Optional<String> noRoom(Repos repos, long machineId, List<Volume> volumes, Instant now) {
        if (volumes.isEmpty()) return Optional.empty();
        long need = sizeGb(volumes);
        String which = names(volumes) + " (" + need + " GB)";
        Optional<VolumeOffer> offer = repos.volumes()
                .offerOfMachine(machineId)
                .filter(o -> o.endDate() == null || o.endDate().isAfter(now));
        if (offer.isEmpty()) {
            return Optional.of("machine " + machineId + " has no volume offer, so the volume(s) " + which
                    + " cannot move there; pick a machine that lists volume space (gpumarket search volumes)");
        }
        if (offer.get().freeGb() < need) {
            return Optional.of(
                    "machine " + machineId + "'s volume offer " + offer.get().id() + " has "
                            + offer.get().freeGb() + " GB free; the volume(s) " + which + " need " + need + " GB");
        }
        return Optional.empty();
    }

    /**
     * At the move ({@code at}, the contract move's fenced instant): each volume goes to the destination, rented from
     * its machine's volume offer at that offer's price from {@code at}; the old placement is kept, ended at {@code
     * at}, so the meter charges the old price until then and the new one after.
     */
    static void moveTo(Repos tx, List<Volume> volumes, long machineId, Instant at) {
        if (volumes.isEmpty()) return;
        VolumeOffer offer = tx.volumes()
                .offerOfMachine(machineId)
                .orElseThrow(() -> new IllegalStateException("machine " + machineId + " has no volume offer"));
        for (Volume v : volumes) {
            tx.volumes()
                    .move(
                            v.id(),
                            machineId,
                            offer.id(),
                            offer.pricePerGbMonth(),
                            at,
                            "moved to machine " + machineId + " as volume " + v.id());
        }
    }

    /** A move given up after it moved: each volume on {@code fromMachine} goes back to its last placement. */
    static void moveBack(Repos tx, Instance i, long fromMachine, Instant at) {
        for (Volume v : mounted(tx, i)) {
            if (v.machineId() != fromMachine) continue;
            List<Volume> placements = tx.volumes().pastPlacements(v.id());
            if (placements.isEmpty()) continue;
            Volume past = placements.getLast();
            tx.volumes()
                    .move(
                            v.id(),
                            past.machineId(),
                            past.offerId(),
                            past.pricePerGbMonth(),
                            at,
                            "moved back to machine " + past.machineId() + " as volume " + v.id());
        }
    }

    private static String names(List<Volume> volumes) {
        return String.join(", ", volumes.stream().map(Volume::wireName).toList());
    }
}
