package io.gpumarket.core.migrate;

import java.time.Instant;
import java.util.Optional;

/**
 * One migration as the rules see it ({@link MigrationRules}): which instance, from which machine to which, where
 * it stands and when each step happened. Immutable; every step gives a new value.
 *
 * @param lastProgressAt when the copy last moved bytes (or when it began): the source is silent after that
 * @param copiedAt       when the copy completed (the old machine's storage is charged until then)
 * @param startedAt      when the instance started on the destination (the new machine's prices from then)
 * @param reason         why it was rolled back; null otherwise
 * @param stopAt         when a running source is stopped for the move, having run out the server's notice window
 *                       with the notice inside it ({@link MigrationRules#stopAt}); null: stopped at the request, or it
 *                       was not running
 */
public record Migration(
        long instanceId,
        long fromMachine,
        long toMachine,
        MigrationState state,
        Instant requestedAt,
        Instant lastProgressAt,
        Instant copiedAt,
        Instant startedAt,
        Instant endedAt,
        String reason,
        Instant stopAt) {

    /** A migration just asked for: the destination's GPUs held. */
    public static Migration requested(long instanceId, long fromMachine, long toMachine, Instant now) {
        return requested(instanceId, fromMachine, toMachine, now, null);
    }

    /** A migration just asked for whose running source is stopped at {@code stopAt} (null: at once, or not running). */
    public static Migration requested(long instanceId, long fromMachine, long toMachine, Instant now, Instant stopAt) {
        if (fromMachine == toMachine) {
            throw new IllegalArgumentException("instance " + instanceId + " is on machine " + toMachine + " already");
        }
        return new Migration(
                instanceId, fromMachine, toMachine, MigrationState.RESERVED, now, null, null, null, null, null, stopAt);
    }

    Migration with(MigrationState s, Instant progress, Instant copied, Instant started, Instant ended, String why) {
        return new Migration(
                instanceId, fromMachine, toMachine, s, requestedAt, progress, copied, started, ended, why, stopAt);
    }

    public Optional<Instant> copied() {
        return Optional.ofNullable(copiedAt);
    }

    public Optional<Instant> started() {
        return Optional.ofNullable(startedAt);
    }
}
