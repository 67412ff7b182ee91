package io.gpumarket.store;

import io.gpumarket.core.billing.Silence;
import io.gpumarket.core.billing.StatusChange;
import io.gpumarket.core.billing.TrafficSample;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the metering loop and the billing pages read and write: the meter's watermark, contracts with their frozen
 * terms, the recorded history charges derive from (status changes, machine silences, traffic), and the tick's
 * postings. Reads return rows in recording (id) order.
 */
public interface BillingRepo {
    /**
     * Takes the meter lock exclusively until the transaction ends: no billing-relevant time can be written while a
     * tick reads and posts. First call of a tick's transaction.
     */
    void lockMeter();

    /** Every contract is charged up to here (epoch 0 before the first tick). */
    Instant chargedTo();

    /**
     * One tick, in the caller's transaction: moves the watermark from {@code from} to {@code to}, appends the
     * postings to the ledger and adds them to the balances (in user order).
     *
     * @throws IllegalStateException when the watermark is not at {@code from} (another meter ticked)
     */
    void post(Instant from, Instant to, List<Posting> postings);

    /** Contracts with an id above {@code afterId}. */
    List<MeteredContract> contractsAfter(long afterId);

    /** Contracts not wholly charged at {@code chargedTo}: live, or destroyed after it. */
    List<MeteredContract> unmetered(Instant chargedTo);

    /** The owner's contracts that existed at some instant of [from, to], in id order. */
    List<MeteredContract> contractsOfOwner(long ownerId, Instant from, Instant to);

    /** Contracts on the host's machines (or on one of them) that existed at some instant of [from, to]. */
    List<MeteredContract> contractsOfHost(long hostId, Long machineId, Instant from, Instant to);

    /**
     * Status changes with an id above {@code afterId}. Inside a tick (meter lock held) no change is being written,
     * so a reader that remembers the largest id it saw misses none later, on either database.
     */
    List<StatusChange> changesAfter(long afterId);

    List<StatusChange> changesOf(Collection<Long> instanceIds);

    /** The status changes of every contract not wholly charged at {@code chargedTo}. */
    List<StatusChange> changesOfUnmetered(Instant chargedTo);

    List<Silence> silencesAfter(long afterId);

    List<Silence> silencesOf(Collection<Long> machineIds);

    /** Silences that ended after {@code t}. */
    List<Silence> silencesEndingAfter(Instant t);

    List<TrafficSample> trafficAfter(long afterId);

    List<TrafficSample> trafficOf(Collection<Long> instanceIds);

    List<TrafficSample> trafficOfUnmetered(Instant chargedTo);

    /**
     * Machines last heard from before {@code before} (or never: Instant.EPOCH), with that contact: the ones that may
     * be silent now.
     */
    Map<Long, Instant> contactsBefore(Instant before);

    /** The last contact of each of these machines that ever had one. */
    Map<Long, Instant> contacts(Collection<Long> machineIds);

    /** Every kept balance (users without a row have 0). */
    Map<Long, Long> balances();

    /**
     * Records traffic an agent reported for a live instance of its machine: byte counters since the run that
     * started at {@code runStartedAt}. A new run's counters add to the instance's totals from zero; a sample is
     * written only when they moved. False when nothing was recorded. The counters are a claim: growth beyond what the
     * machine's link carries since the instance's last sample, and counters going back, are not added to the totals
     * but recorded as host anomalies in the same transaction ({@code TrafficClaims}).
     */
    boolean recordTraffic(
            long instanceId, long machineId, Instant runStartedAt, long runRxBytes, long runTxBytes, Instant now);

    /** Host anomalies whose latest repeat is at or after {@code since}, newest first, at most {@code limit}. */
    List<io.gpumarket.store.HostAnomaly> anomalies(Instant since, int limit);

    /** Per machine, when each of its anomalies (rows) begun at or after {@code since} began: for reliability. */
    Map<Long, List<Instant>> anomalyTimes(Instant since);

    /** Anomalies (repeats included) per machine, ever; machines without any are absent. */
    Map<Long, Integer> anomalyCounts(Collection<Long> machineIds);

    /**
     * Sets a contract aside: the meter charges it no further than {@code chargedTo}. In the caller's transaction (a
     * tick's). False when it was aside already.
     */
    boolean setAside(long instanceId, Instant at, Instant chargedTo, String reason);

    /** Every contract set aside, by instance id. */
    List<SetAside> setAside();
}
