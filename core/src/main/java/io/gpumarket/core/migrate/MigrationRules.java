package io.gpumarket.core.migrate;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The pure rules of moving a stopped instance to another machine (issue 23, docs/migrate.md): the order of the
 * steps, when to give up and roll back, when the old contract ends, what each machine charges, and when the old
 * disk may be removed. The server's orchestration asks these and does the I/O around them.
 *
 * <ul>
 *   <li>A source running at the request is stopped first: at once, or — when the server has a preemption notice
 *       window (docs/bids.md) — at {@link #stopAt}, running until then with the same notice inside it as a bid
 *       losing its GPUs gets ({@link #source}).
 *   <li>RESERVED → COPYING when the source is stopped; COPYING → STARTING when the copy completed; STARTING → DONE
 *       when the destination reports the instance running. Any other step is refused.
 *   <li>Before DONE, a failure rolls back: the instance stays on its old machine, its old contract runs on as if
 *       nothing had happened, the destination's GPUs are let go and whatever arrived there is removed.
 *   <li>The copy is given up when the source has moved nothing for {@link #SILENCE} (its host went silent: nothing
 *       is lost, the renter may retry later), and when the renter's credit runs out before the start.
 *   <li>The contract moves when the copy completed (the data is on the destination from then): the old machine's
 *       contract ends at that instant, storage being all a stopped instance costs there; the new machine's contract
 *       begins at the same instant, its storage from then and its GPUs from when the instance runs there. Nothing is
 *       charged twice, nothing for the copy itself. A start that fails moves the contract back.
 *   <li>The old disk is removed only once the migration is DONE.
 * </ul>
 */
public final class MigrationRules {
    /** How long a copy may move nothing before the source counts as gone silent. */
    public static final Duration SILENCE = Duration.ofMinutes(5);
    /** How long the destination may take to report the instance running before the move is given up. */
    public static final Duration START_TIMEOUT = Duration.ofMinutes(10);

    private MigrationRules() {}

    /** What the orchestration does about the source while the migration is {@code reserved} ({@link #source}). */
    public enum SourceStep {
        /** It runs out its notice: keep it running, told (the notice inside it, its view's notice time). */
        RUN_OUT_NOTICE,
        /** Its notice ended: stop it now (the move's own stop, not its owner's). */
        STOP_NOW,
        /** Stopped at the request, its owner wants it running again: give the move up. */
        STARTED_AGAIN,
        /** Told to stop, still running on its machine: wait for its agent. */
        STOPPING,
        /** Stopped: the copy may begin. */
        COPY
    }

    /**
     * When a source that runs at the request is stopped for the move: after the server's preemption notice window,
     * during which it keeps running with the notice inside it; empty (at once) without a window or when it does not
     * run.
     */
    public static Optional<Instant> stopAt(boolean running, Duration notice, Instant now) {
        if (!running || notice == null || notice.isZero() || notice.isNegative()) return Optional.empty();
        return Optional.of(now.plus(notice));
    }

    /** Whether the source still runs out its notice at {@code now}: reserved, its stop time not reached. */
    public static boolean inNotice(Migration m, Instant now) {
        return m.state() == MigrationState.RESERVED && m.stopAt() != null && now.isBefore(m.stopAt());
    }

    /**
     * The source's step while reserved. With a notice, an intent to run is the migration's own until the stop time
     * (the owner stopping it meanwhile lets the copy begin early) and is stopped at it, again after a restart that
     * came between; without one, the request stopped it, so an intent to run is its owner's start and gives up.
     *
     * @param meantToRun   the instance's intended status is running
     * @param stillRunning its agent reports it running, loading, rebooting or recycling
     */
    public static SourceStep source(Migration m, boolean meantToRun, boolean stillRunning, Instant now) {
        require(m, MigrationState.RESERVED, "wait for its source");
        if (meantToRun) {
            if (m.stopAt() == null) return SourceStep.STARTED_AGAIN;
            return now.isBefore(m.stopAt()) ? SourceStep.RUN_OUT_NOTICE : SourceStep.STOP_NOW;
        }
        return stillRunning ? SourceStep.STOPPING : SourceStep.COPY;
    }

    /** The source is stopped (it was, or the server stopped it): the copy begins. */
    public static Migration sourceStopped(Migration m, Instant now) {
        require(m, MigrationState.RESERVED, "begin copying");
        return m.with(MigrationState.COPYING, now, null, null, null, null);
    }

    /** The copy moved bytes (a progress report). */
    public static Migration progress(Migration m, Instant now) {
        require(m, MigrationState.COPYING, "report progress");
        return m.with(MigrationState.COPYING, now, null, null, null, null);
    }

    /** The copy completed, every file checked: the instance may start on the destination. */
    public static Migration copied(Migration m, Instant now) {
        require(m, MigrationState.COPYING, "complete the copy");
        return m.with(MigrationState.STARTING, now, now, null, null, null);
    }

    /** The destination runs the instance: the move is done and the old contract ends now. */
    public static Migration started(Migration m, Instant now) {
        require(m, MigrationState.STARTING, "start on the destination");
        return m.with(MigrationState.DONE, m.lastProgressAt(), m.copiedAt(), now, now, null);
    }

    /**
     * Gives up (the copy failed, the destination could not start it, the renter canceled, the source went silent,
     * the credit ran out): the instance stays where it was. A migration already DONE cannot be undone this way.
     */
    public static Migration rollBack(Migration m, String reason, Instant now) {
        if (m.state().ended()) {
            throw new IllegalStateException("migration of instance " + m.instanceId() + " is "
                    + m.state().wire());
        }
        return m.with(MigrationState.ROLLED_BACK, m.lastProgressAt(), m.copiedAt(), null, now, reason);
    }

    /**
     * Why a migration still going must be given up now, if it must: the renter's credit gone (zero or less) before
     * the contract moved, the source silent for {@link #SILENCE} while copying, or the destination not running the
     * instance {@link #START_TIMEOUT} after the move (once moved, credit is the credit guard's, as for any instance).
     */
    public static Optional<String> mustRollBack(Migration m, long creditMicros, Instant now) {
        if (m.state().ended()) return Optional.empty();
        if (m.state() == MigrationState.STARTING) {
            if (m.copiedAt() != null && !now.isBefore(m.copiedAt().plus(START_TIMEOUT))) {
                return Optional.of("the destination did not report the instance running within "
                        + START_TIMEOUT.toMinutes() + " minutes; it stays on its old machine");
            }
            return Optional.empty();
        }
        if (creditMicros <= 0) return Optional.of("the account's credit ran out before the instance started there");
        if (m.state() == MigrationState.COPYING
                && m.lastProgressAt() != null
                && !now.isBefore(m.lastProgressAt().plus(SILENCE))) {
            return Optional.of("the source machine sent nothing for " + SILENCE.toMinutes()
                    + " minutes; the instance stays where it was, retry later");
        }
        return Optional.empty();
    }

    /** When the old machine's contract ends: the copy's completion, once the contract moved (starting or done). */
    public static Optional<Instant> oldContractEnds(Migration m) {
        return moved(m) ? m.copied() : Optional.empty();
    }

    /**
     * Until when the old machine charges the instance's storage: the copy's completion once the contract moved;
     * otherwise it goes on as for any stopped instance.
     */
    public static Optional<Instant> oldStorageChargedUntil(Migration m) {
        return oldContractEnds(m);
    }

    /** From when the new machine charges its prices (storage; GPUs once running): the same instant. */
    public static Optional<Instant> newChargesFrom(Migration m) {
        return oldContractEnds(m);
    }

    private static boolean moved(Migration m) {
        return m.state() == MigrationState.STARTING || m.state() == MigrationState.DONE;
    }

    /** Whether the old machine's copy of the disk may be removed: only after the start there succeeded. */
    public static boolean mayRemoveOldDisk(Migration m) {
        return m.state() == MigrationState.DONE;
    }

    /** Whether the destination's copy (files that arrived) must be removed: when the move was given up. */
    public static boolean mustRemoveDestinationCopy(Migration m) {
        return m.state() == MigrationState.ROLLED_BACK;
    }

    /** Whether the destination's GPUs stay held for the instance. */
    public static boolean holdsDestination(Migration m) {
        return m.state() != MigrationState.ROLLED_BACK;
    }

    private static void require(Migration m, MigrationState expected, String step) {
        if (m.state() != expected) {
            throw new IllegalStateException("migration of instance " + m.instanceId() + " cannot " + step + " while "
                    + m.state().wire());
        }
    }
}
