package io.gpumarket.store;

import io.gpumarket.core.volume.Volume;
import io.gpumarket.core.volume.VolumeOffer;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Volume offers, rented volumes and their mounts (docs/volumes.md). Calls naming an owner see only that owner's
 * volumes.
 */
public interface VolumeRepo {
    /** A mount of a volume in one instance. */
    record Mount(long instanceId, long volumeId, String mountPath) {}

    /** Lists (or re-lists, changing size and price in place) the machine's volume offer; answers it. */
    VolumeOffer listOffer(long machineId, long sizeGb, long pricePerGbMonth, Instant endDate, Instant now);

    /** The live offer with this id (with its used space). */
    Optional<VolumeOffer> findOffer(long offerId);

    /** The machine's live offer. */
    Optional<VolumeOffer> offerOfMachine(long machineId);

    /** Every live offer, with its used space. */
    List<VolumeOffer> liveOffers();

    /** Unlists the offer. False when there is no live offer with this id. */
    boolean unlistOffer(long offerId, Instant now);

    /** Rents a volume; its created_at is recorded after the meter's watermark. */
    Volume create(long ownerId, VolumeOffer offer, long sizeGb, String name, Instant now);

    /** The owner's live volume with this id. */
    Optional<Volume> find(long ownerId, long volumeId);

    /** Any volume with this id, live or deleted. */
    Optional<Volume> byId(long volumeId);

    /** The owner's live volumes, by id. */
    List<Volume> live(long ownerId);

    /** The live volumes on a machine, by id. */
    List<Volume> liveOnMachine(long machineId);

    /** Deletes the volume; its deleted_at is recorded after the meter's watermark. False when not live. */
    boolean delete(long volumeId, String reason, Instant now);

    /** Mounts the volume in the instance. */
    void mount(long instanceId, long volumeId, String mountPath);

    /** The mounts of these instances, by instance id. */
    Map<Long, List<Mount>> mountsOf(Collection<Long> instanceIds);

    /** The ids of the instances not destroyed that mount the volume. */
    List<Long> attachedTo(long volumeId);

    /**
     * Moves the live volume to another machine at {@code at} (a contract move's fenced instant, docs/migrate.md): its
     * past placement is kept as a copy of the row deleted at {@code at} ({@code moved_as} = the volume), and the row,
     * id and mounts kept, becomes a placement on {@code machineId} from {@code at}, rented from {@code offerId} at
     * {@code pricePerGbMonth}. Answers the past placement's row id.
     */
    long move(long volumeId, long machineId, long offerId, long pricePerGbMonth, Instant at, String reason);

    /** The rows of the volume's past placements, oldest first (each charged over its own span). */
    List<Volume> pastPlacements(long volumeId);

    /** Volumes live at any time in {@code (from, to]}: what the meter charges. */
    List<Volume> liveBetween(Instant from, Instant to);

    /** The owner's volumes live at any time in {@code [from, to]}, for charge pages. */
    List<Volume> ofOwner(long ownerId, Instant from, Instant to);

    /** The live volumes of owners in this set. */
    List<Volume> liveOfOwners(Collection<Long> ownerIds);

    /** Marks the live volumes of these owners unpaid since {@code now} (where not marked yet); clears the others'. */
    void markUnpaid(Collection<Long> brokeOwners, Collection<Long> paidOwners, Instant now);

    /** Live volumes marked unpaid at or before {@code before}. */
    List<Volume> unpaidSince(Instant before);
}
