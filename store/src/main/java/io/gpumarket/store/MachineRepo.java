package io.gpumarket.store;

import io.gpumarket.core.machine.HeartbeatHistory;
import io.gpumarket.core.machine.Listing;
import io.gpumarket.core.machine.Machine;
import io.gpumarket.core.machine.MachineSpec;
import io.gpumarket.core.machine.Verification;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Host machines: hardware, operator state, listing terms and the free-GPU count that renting changes. */
public interface MachineRepo {
    /**
     * A new machine, unverified, unlisted, all GPUs free, with the given starting reliability.
     *
     * @param tokenHash SHA-256 of the machine token the host's agent authenticates with
     * @throws DuplicateException when another machine has this token hash
     */
    Machine register(long hostId, MachineSpec spec, String tokenHash, double reliability, Instant now);

    Optional<Machine> find(long id);

    /** The machine whose agent authenticates with the token of this hash. */
    Optional<Machine> findByTokenHash(String tokenHash);

    /** The host's machines, in id order. */
    List<Machine> byHost(long hostId);

    /** Every machine, in id order (the market index is rebuilt from this on start). */
    List<Machine> all();

    /** Replaces the hardware; free GPUs are capped at the new GPU count. False when there is no such machine. */
    boolean updateSpec(long id, MachineSpec spec, Instant now);

    /** Lists (non-null) or unlists (null) the machine. False when there is no such machine. */
    boolean setListing(long id, Listing listing, Instant now);

    /** False when there is no such machine. */
    boolean setVerification(long id, Verification verification, Instant now);

    /** False when there is no such machine. */
    boolean setReliability(long id, double reliability, Instant now);

    /**
     * Conditional update: sets free GPUs to {@code newFree} only if they are {@code expectedFree} now
     * (the rent race is decided here). False when they were not, or there is no such machine. A {@code newFree}
     * outside 0..numGpus is refused with an exception.
     */
    boolean compareAndSetFreeGpus(long id, int expectedFree, int newFree, Instant now);

    /**
     * {@link #compareAndSetFreeGpus}, answering the machine as the update left it (read by the update itself, so
     * in a transaction it is the row this transaction now holds locked); empty when the count was not
     * {@code expectedFree} or there is no such machine.
     */
    Optional<Machine> setFreeGpusIf(long id, int expectedFree, int newFree, Instant now);

    /**
     * Takes the machine row's write lock for the rest of the transaction (the bid arbiter's: decisions about one
     * machine's GPUs are made one at a time, in the machine-row-first order every writer takes). False when there is
     * no such machine.
     */
    boolean lock(long id);

    /**
     * Records a heartbeat: the machine's agent synced at {@code now}. When its previous contact is more than
     * {@code unknownAfter} ago, the silence is recorded too (from the previous contact plus {@code unknownAfter}
     * until now): GPU time in it is not charged. False when there is no such machine.
     */
    boolean touch(long id, Instant now, java.time.Duration unknownAfter);

    /**
     * Records a batch of heartbeats held in memory (the server's flush), as {@link #touch} would have recorded each
     * contact: every time at or after the meter's watermark (the fence), a silence wherever two contacts (the durable
     * last contact and the first heard, or two heard in a row) are further apart than {@code unknownAfter}, and each
     * machine's last contact moved forward (never back). Machines that no longer exist are skipped. Returns how many
     * silences it recorded.
     *
     * @param batch called once the meter lock is held (so that batches taken one after another are written in that
     *              order, and none between a tick's read of the contacts and its commit)
     */
    int heard(
            java.util.function.Supplier<? extends java.util.Collection<Heard>> batch, java.time.Duration unknownAfter);

    /** Every machine's last contact as stored, machines never heard from left out. */
    Map<Long, java.time.Instant> lastSeenAll();

    /** When the machine's agent last synced; empty when it never has (or there is no such machine). */
    Optional<Instant> lastSeen(long id);

    /**
     * Every machine's heartbeat history as reliability reads it: first and last contact, and the silences that
     * ended after {@code since} (older ones cannot count). Machines whose agent never synced have no entry.
     */
    Map<Long, HeartbeatHistory> histories(Instant since);

    /**
     * Instance starts on every machine since {@code since}, from the recorded status changes: a change to running
     * from anything else is a start that worked; a change to exited from anything but running (the instance never
     * ran) is one that failed, unless the agent said the instance's own process exited (not the host's fault).
     * Machines without starts have no entry.
     */
    Map<Long, List<HeartbeatHistory.Start>> starts(Instant since);

    /**
     * Marks the listing as rolling (its end date kept {@code duration} ahead of now) or, with null, as fixed.
     * False when there is no such machine.
     */
    boolean setRollingDuration(long id, java.time.Duration duration, Instant now);

    /** The rolling duration of every listed machine that has one. */
    Map<Long, java.time.Duration> rollingDurations();

    /**
     * What the machine's agent last said it found on the host but the server does not list (ids of instances it left
     * running); replaces what was stored. False when there is no such machine.
     */
    boolean setOrphans(long machineId, java.util.Collection<Long> instanceIds, Instant now);

    /** The fleet's first-sync state, for up to {@code limit} machines (most recently heard from first): {@link AgentFleet}. */
    AgentFleet fleet(int limit);

    /** The orphans of these machines, ids ascending; machines without any are absent. */
    Map<Long, List<Long>> orphans(java.util.Collection<Long> machineIds);
}
