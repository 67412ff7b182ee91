package io.gpumarket.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Instance-to-instance copies ({@code copy_transfers}, V48): what the two agents are told, and how each ended. */
public interface CopyRepo {
    /** A copy still to do ({@code active}) or ended ({@code done}, {@code failed}, {@code canceled}). */
    record Transfer(
            long id,
            long ownerId,
            long srcInstance,
            long dstInstance,
            String srcPath,
            String dstPath,
            String ticketHash,
            String ticketSealed,
            String state,
            String message,
            Instant createdAt) {
        public boolean active() {
            return ACTIVE.equals(state);
        }
    }

    String ACTIVE = "active";

    /** Records a new active copy; its id. */
    long create(
            long ownerId,
            long srcInstance,
            long dstInstance,
            String srcPath,
            String dstPath,
            String ticketHash,
            String ticketSealed,
            String message,
            Instant now);

    Optional<Transfer> find(long id);

    /** The active copies from or to any of these instances (for the agents' desired states). */
    List<Transfer> activeFor(Collection<Long> instanceIds);

    /** The active copies into this instance. */
    List<Transfer> activeInto(long dstInstance);

    /** A progress line of an active copy; false when it is no longer active. */
    boolean progress(long id, String message, Instant now);

    /** Ends an active copy ({@code done}, {@code failed}, {@code canceled}) and forgets its ticket; false if it had ended. */
    boolean end(long id, String state, String message, Instant now);
}
