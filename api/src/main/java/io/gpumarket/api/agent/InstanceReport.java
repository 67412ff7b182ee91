package io.gpumarket.api.agent;

import io.gpumarket.api.ActualStatus;

/**
 * The actual state of one instance as its agent sees it. The server copies these agent-owned fields and
 * nothing else (two fields, two writers: the server owns {@code intended_status}).
 *
 * @param actualStatus one of {@link ActualStatus#REPORTABLE} (the agent's runner uses loading, running, stopped, exited
 *                     and rebooting); null only from a broken agent, which the server refuses
 * @param statusMsg    what a person should read (e.g. why it exited)
 * @param sshPort      host port of the instance's SSH listener, 0 while none
 * @param diskUsageGb  space used by the instance's files
 * @param cpuUtil      fraction of one core, averaged since the last report
 * @param startedAt    epoch seconds of the current run's start, 0 when not running
 * @param appliedRevision the instance revision this state answers to (see {@link DesiredInstance#revision})
 * @param rxBytes      bytes the instance received since its current run started (billed as download); null (or
 *                     absent) where the launcher cannot measure it: the process launcher shares the host's network
 * @param txBytes      bytes it sent since its current run started (billed as upload); null likewise
 * @param hostFault    with {@code exited} before the instance ever ran: true when the host could not start it (the
 *                     launcher failed), false when the instance's own process exited; null when not an exit at start,
 *                     or from agents that do not say. Failed starts that are the host's count against its reliability
 */
public record InstanceReport(
        long id,
        ActualStatus actualStatus,
        String statusMsg,
        int sshPort,
        double diskUsageGb,
        double cpuUtil,
        long startedAt,
        long appliedRevision,
        Long rxBytes,
        Long txBytes,
        Boolean hostFault) {

    /** A report without traffic counters (agents that cannot measure traffic, and older agents). */
    public InstanceReport(
            long id,
            ActualStatus actualStatus,
            String statusMsg,
            int sshPort,
            double diskUsageGb,
            double cpuUtil,
            long startedAt,
            long appliedRevision) {
        this(id, actualStatus, statusMsg, sshPort, diskUsageGb, cpuUtil, startedAt, appliedRevision, null, null, null);
    }

    /** A report without a word on whose fault an exit at start was (older agents). */
    public InstanceReport(
            long id,
            ActualStatus actualStatus,
            String statusMsg,
            int sshPort,
            double diskUsageGb,
            double cpuUtil,
            long startedAt,
            long appliedRevision,
            Long rxBytes,
            Long txBytes) {
        this(
                id,
                actualStatus,
                statusMsg,
                sshPort,
                diskUsageGb,
                cpuUtil,
                startedAt,
                appliedRevision,
                rxBytes,
                txBytes,
                null);
    }
}
