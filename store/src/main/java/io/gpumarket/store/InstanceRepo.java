package io.gpumarket.store;

import io.gpumarket.core.instance.AgentState;
import io.gpumarket.core.instance.Instance;
import io.gpumarket.core.instance.IntendedStatus;
import io.gpumarket.core.template.TemplateRef;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Instances (contracts). Ids are never reused and rows are never deleted: destroying sets {@code destroyed_at}.
 * Server-side changes of what the agent should do (status, label, reboot, keys) add one to the instance's
 * {@code revision}; agent reports never do.
 */
public interface InstanceRepo {
    /** Outcome of applying an agent report. */
    enum Applied {
        NO_SUCH_INSTANCE,
        UPDATED,
        STATUS_CHANGED
    }

    /** Stores a new instance: revision 1, no reboots, no agent state, cur_state = its intended status. */
    Instance create(NewInstance instance, Instant now);

    /** Links the instance's scoped API key. False when there is no such instance. */
    boolean setApiKeyId(long id, long apiKeyId, Instant now);

    /** Records the template the instance was created from (as it was then). False when there is no such instance. */
    boolean setTemplate(long id, TemplateRef template);

    /** The templates these instances were created from, by instance id; instances made without one are absent. */
    Map<Long, TemplateRef> templatesOf(Collection<Long> ids);

    /** The instance, destroyed or not. */
    Optional<Instance> find(long id);

    /** The machine's instances that are not destroyed, in id order (the agent's desired set; the ports in use). */
    List<Instance> liveOnMachine(long machineId);

    /** The owner's instances that are not destroyed, in id order. */
    List<Instance> liveByOwner(long ownerId);

    /** Machines where the owner has instances that are not destroyed. */
    Set<Long> machinesOfOwner(long ownerId);

    /**
     * Sets what the renter wants (and cur_state with it) of a live instance; starting clears a stop reason. False when
     * none is live with this id.
     */
    boolean setIntendedStatus(long id, IntendedStatus status, Instant now);

    /**
     * Stops a live instance whose owner's credit ran out: intended (and cur_state) stopped, the reason kept for its
     * status_msg, the time kept for the operator's grace period, the revision bumped so its agent hears. False when
     * it is not live or not meant to be running.
     */
    boolean stopForCredit(long id, String reason, Instant now);

    /** The live instances of these owners that are meant to be running, in id order. */
    List<Instance> runningOfOwners(java.util.Collection<Long> ownerIds);

    /** Live instances the server stopped for credit at or before {@code cutoff}, in id order. */
    List<Instance> creditStoppedBefore(Instant cutoff);

    /** Writes the bid arbiter's verdict on a live instance, bumping its revision. False when none is live with this id. */
    boolean setBidState(long id, io.gpumarket.core.bid.BidState state, Instant now);

    /**
     * Changes a live bid contract's price per GPU-hour from now on: the instance shows it (as {@code prices()}) and
     * billing charges it from this instant, recorded as a price event. Bumps the revision. False when no live bid
     * has this id.
     */
    boolean setBid(long id, long perGpuHour, Instant now);

    /**
     * An on-demand contract's new GPU price per GPU-hour from {@code now} on (an accepted price increase), recorded as
     * a bid change is. False when no live on-demand instance has this id.
     */
    boolean reprice(long id, long perGpuHour, Instant now);

    /** Every live bid contract, in id order (the market index prices bid offers with them). */
    List<Instance> liveBids();

    /** Machines with a live instance whose preemption notice ends at or before {@code cutoff}. */
    Set<Long> machinesWithNoticeUntil(Instant cutoff);

    /** Sets (or, null, clears) the label of a live instance. False when none is live with this id. */
    boolean setLabel(long id, String label, Instant now);

    /** Counts a reboot request of a live instance. False when none is live with this id. */
    boolean reboot(long id, Instant now);

    /** Counts a recycle request of a live instance (its agent recreates it from a fresh pull). False when none is live. */
    boolean recycle(long id, Instant now);

    /** Adds one to the revision of a live instance whose desired state changed otherwise (a log request). */
    boolean bumpRevision(long id, Instant now);

    /** Adds one to the revision of every live instance of the owner (their SSH keys changed); how many. */
    int bumpRevisionsOfOwner(long ownerId, Instant now);

    /**
     * Destroys a live instance: destroyed_at, cur_state unloaded, and a closing 'destroyed' event. False when it
     * was destroyed already (or never existed): of two racing destroys exactly one gets true.
     */
    boolean markDestroyed(long id, Instant now);

    /**
     * Copies the agent-owned fields (and only those) onto a live instance of that machine, adding an event when
     * actual_status changes. Reports for another machine's instance or a destroyed one change nothing.
     */
    default Applied applyReport(long id, long machineId, AgentState state, Instant now) {
        return applyReport(id, machineId, state, null, now);
    }

    /**
     * … with the agent's word on an exit at start ({@code hostFault}: true when the host failed to start the
     * instance, false when its own process exited, null when not said), kept on the status change it records.
     */
    Applied applyReport(long id, long machineId, AgentState state, Boolean hostFault, Instant now);

    /** The instance's actual-status history, oldest first (changed bids, also recorded as events, left out). */
    List<InstanceEvent> events(long instanceId);
}
