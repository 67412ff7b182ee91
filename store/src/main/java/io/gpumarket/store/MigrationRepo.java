package io.gpumarket.store;

import io.gpumarket.core.instance.ContractPrices;
import io.gpumarket.core.migrate.Migration;
import io.gpumarket.core.migrate.MigrationState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Migrations of instances to other machines ({@code instance_migrations}, V60, V62; docs/migrate.md) and the move of a
 * contract from one machine to another ({@code contract_moves}).
 */
public interface MigrationRepo {
    /** Where a contract runs and on which terms: what a move changes on the instance's row. */
    record Placement(
            long machineId,
            long offerId,
            int sshPort,
            Map<String, Integer> ports,
            ContractPrices prices,
            int platformFeePpm,
            boolean bid,
            Long bidPerGpuHour) {
        public Placement {
            ports = ports == null ? Map.of() : Map.copyOf(ports);
        }
    }

    /** One stored migration: the rules' view of it and what the orchestration needs besides. */
    record Row(
            long id,
            Migration migration,
            long ownerId,
            long toOffer,
            int numGpus,
            int toSshPort,
            Map<String, Integer> toPorts,
            ContractPrices prices,
            int platformFeePpm,
            boolean wasRunning,
            Long copyId,
            Long archiveId,
            String message) {
        public long instanceId() {
            return migration.instanceId();
        }

        public MigrationState state() {
            return migration.state();
        }
    }

    /**
     * A new migration, {@code reserved}; its id. {@code stopAt}: when its running source is stopped after the
     * server's notice window (null: stopped at the request, or not running).
     */
    long create(
            long instanceId,
            long ownerId,
            long fromMachine,
            long toMachine,
            long toOffer,
            int numGpus,
            ContractPrices prices,
            int platformFeePpm,
            boolean wasRunning,
            Instant stopAt,
            String message,
            Instant now);

    Optional<Row> find(long id);

    /** The instance's migration that has not ended, if any (there is at most one). */
    Optional<Row> unfinishedOf(long instanceId);

    /** Every migration that has not ended, oldest first (what the orchestration drives). */
    List<Row> unfinished();

    /** Unfinished migrations from or to this machine (its agent's desired state). */
    List<Row> unfinishedTouching(long machineId);

    /** The latest migrations of an instance, newest first. */
    List<Row> ofInstance(long instanceId, int limit);

    /**
     * Stores the migration's new rules state (times, reason), and {@code copyId}, {@code archiveId}, {@code message}
     * when not null, if it is still in {@code expected}; false if another writer moved it first.
     */
    boolean save(
            long id, MigrationState expected, Migration next, Long copyId, Long archiveId, String message, Instant now);

    /** A progress line; the copy moved bytes at {@code progressAt} when it is not null. */
    boolean progress(long id, String message, Instant progressAt, Instant now);

    /** Sets the ports the instance takes on the destination (at the move). */
    boolean setDestinationPorts(long id, int sshPort, Map<String, Integer> ports);

    /**
     * Moves a live contract to {@code to}, at a fenced instant (never at or before the meter's watermark): its past
     * (status and price events, traffic) goes to a new archive row, a copy of the row as it was, ended at that
     * instant; the instance's row keeps its id and everything the renter set (label, image, env, onstart, keys,
     * template) and starts a new contract there from that instant, with {@code intended} as its intended status and
     * {@code statusMsg} shown. Records the move in {@code contract_moves}. Answers the archive row's id and the
     * instant.
     */
    Moved moveContract(long instanceId, Placement to, String intended, String statusMsg, Instant now);

    /** Where a contract row (live or an archive) is placed and on which terms. */
    Optional<Placement> placementOf(long instanceId);

    /** A move: the archive row's id and the instant the new contract starts. */
    record Moved(long archiveId, Instant at) {}

    /** The archive rows of an instance's past placements (one per move, oldest first). */
    List<Long> archivesOf(long instanceId);

    /** The id of the latest contract move (0 for none): the meter rebuilds its book when it grows. */
    long lastMove();
}
