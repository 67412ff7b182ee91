package io.gpumarket.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Cloud connections and cloud copies ({@code cloud_connections}, {@code cloud_copies}, V55; docs/copy.md). */
public interface CloudRepo {
    /** A renter's storage: its options only sealed. */
    record Connection(long id, long ownerId, String name, String cloudType, String configSealed, Instant createdAt) {}

    /** One rclone run: {@code active}, or ended ({@code done}, {@code failed}, {@code canceled}). */
    record Copy(
            long id,
            long ownerId,
            long instanceId,
            long connectionId,
            boolean toCloud,
            String instancePath,
            String cloudPath,
            List<String> flags,
            String state,
            String message,
            Instant createdAt) {
        public Copy {
            flags = List.copyOf(flags);
        }
    }

    String ACTIVE = "active";

    /** Keeps the SHA-256 of the copy's result URL token ({@code POST /commands/rclone/}'s {@code result_url}). */
    void setResultToken(long id, String tokenHash);

    /** The copy whose result URL token has this SHA-256. */
    Optional<Copy> copyByResultToken(String tokenHash);

    /**
     * Records a connection with a placeholder for its sealed options (they are sealed for the id this returns, so the
     * caller seals and {@linkplain #sealConnection stores} them in the same transaction).
     */
    long createConnection(long ownerId, String name, String cloudType, Instant now);

    void sealConnection(long id, String configSealed);

    List<Connection> connectionsOf(long ownerId);

    Optional<Connection> connection(long id);

    /** Deletes the owner's connection; false when there was none. */
    boolean deleteConnection(long ownerId, long id);

    long createCopy(
            long ownerId,
            long instanceId,
            long connectionId,
            boolean toCloud,
            String instancePath,
            String cloudPath,
            List<String> flags,
            String message,
            Instant now);

    Optional<Copy> copy(long id);

    /** The active copies on any of these instances (for their machine's desired state). */
    List<Copy> activeOn(Collection<Long> instanceIds);

    /** Whether an active copy uses this connection. */
    boolean inUse(long connectionId);

    /** A progress line of an active copy; false when it is no longer active. */
    boolean progress(long id, String message, Instant now);

    /** Ends an active copy; false when it had ended. */
    boolean end(long id, String state, String message, Instant now);
}
