package io.gpumarket.core.instance;

import io.gpumarket.core.bid.BidState;
import java.time.Instant;
import java.util.Map;

/**
 * A contract: GPUs of one machine reserved for one renter, and the container that runs on them.
 *
 * @param offerId       the offer it was rented from (single-use, so it names this rental)
 * @param curState      running | stopped while it exists, unloaded once destroyed (its GPUs released)
 * @param sshPort       host port of the instance's SSH front door, 0 when the machine forwards no ports
 * @param ports         other published ports: container port ("8080/tcp") → host port
 * @param derivedApiKey whether the instance's own API key (its {@code CONTAINER_API_KEY}) is derived from the
 *                      server's secret, so the server can hand it to the agent again at every sync; false for
 *                      instances rented before keys were derived, whose clear key was erased from the database
 *                      (migration V24) and survives only in their running environment. Either way only the key's
 *                      hash is stored (api_keys), and the key is revoked on destroy
 * @param apiKeyId      that key's row in api_keys
 * @param revision      increases on every change of what the agent should do with it
 * @param rebootCount   increases on every reboot request
 * @param recycleCount  increases on every recycle request (the agent recreates the container from a fresh pull)
 * @param destroyedAt   null while it exists
 * @param stopReason    why the server stopped it (its owner's credit ran out), shown as its status_msg until it
 *                      is started again; null when it did not
 * @param bid           an interruptible (bid) contract: {@code prices.gpuPerHour()} is its bid per GPU-hour
 * @param bidState      where a bid stands with its machine's GPUs (the bid arbiter's); {@link BidState#HOLDS} for
 *                      on-demand
 */
public record Instance(
        long id,
        long ownerId,
        long machineId,
        long offerId,
        int numGpus,
        Launch launch,
        String label,
        double diskGb,
        IntendedStatus intendedStatus,
        String curState,
        AgentState agent,
        int sshPort,
        Map<String, Integer> ports,
        boolean derivedApiKey,
        Long apiKeyId,
        ContractPrices prices,
        long revision,
        long rebootCount,
        long recycleCount,
        Instant createdAt,
        Instant destroyedAt,
        Instant updatedAt,
        String stopReason,
        boolean bid,
        BidState bidState) {
    public static final String UNLOADED = "unloaded";

    public Instance {
        ports = ports == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ports));
        agent = agent == null ? AgentState.none() : agent;
        bidState = bidState == null ? BidState.HOLDS : bidState;
    }

    /** What its agent should do: run it only when its owner wants it running and (a bid) it may use its GPUs. */
    public IntendedStatus desiredStatus() {
        return intendedStatus == IntendedStatus.RUNNING && bidState.mayRun()
                ? IntendedStatus.RUNNING
                : IntendedStatus.STOPPED;
    }

    public boolean destroyed() {
        return destroyedAt != null;
    }

    /** This contract with its own API key recorded (as the rent's transaction sets it). */
    public Instance withApiKeyId(long keyId, Instant at) {
        return new Instance(
                id,
                ownerId,
                machineId,
                offerId,
                numGpus,
                launch,
                label,
                diskGb,
                intendedStatus,
                curState,
                agent,
                sshPort,
                ports,
                derivedApiKey,
                keyId,
                prices,
                revision,
                rebootCount,
                recycleCount,
                createdAt,
                destroyedAt,
                at,
                stopReason,
                bid,
                bidState);
    }

    /** This contract in another bid state (as arbitration sets it: the revision moves, so its agent hears of it). */
    public Instance withBidState(BidState state, Instant at) {
        return new Instance(
                id,
                ownerId,
                machineId,
                offerId,
                numGpus,
                launch,
                label,
                diskGb,
                intendedStatus,
                curState,
                agent,
                sshPort,
                ports,
                derivedApiKey,
                apiKeyId,
                prices,
                revision + 1,
                rebootCount,
                recycleCount,
                createdAt,
                destroyedAt,
                at,
                stopReason,
                bid,
                state);
    }

    /** This instance with {@code line} shown as its status message (a migration's progress, docs/migrate.md). */
    public Instance withStatusMsg(String line) {
        return new Instance(
                id,
                ownerId,
                machineId,
                offerId,
                numGpus,
                launch,
                label,
                diskGb,
                intendedStatus,
                curState,
                new AgentState(agent.actualStatus(), line, agent.diskUsageGb(), agent.cpuUtil(), agent.startedAt()),
                sshPort,
                ports,
                derivedApiKey,
                apiKeyId,
                prices,
                revision,
                rebootCount,
                recycleCount,
                createdAt,
                destroyedAt,
                updatedAt,
                stopReason,
                bid,
                bidState);
    }
}
