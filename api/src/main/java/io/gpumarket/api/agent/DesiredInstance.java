package io.gpumarket.api.agent;

import java.util.List;
import java.util.Map;

/**
 * One instance as the server wants it on the machine.
 *
 * @param revision        increases whenever anything below changes (intended status, keys, reboot request)
 * @param intendedStatus  running | stopped
 * @param rebootCount     increases on every reboot request; a running instance whose count grew is restarted
 * @param env             the request's env as [key, value] pairs, Docker flags ({@code -p 8080:8080}) included
 * @param runtype         ssh | jupyter | args (the documented forms and the CLI's token forms normalised)
 * @param diskGb          the rented disk; usage is tracked against it
 * @param sshPort         the host port of the instance's SSH front door (from the machine's direct range)
 * @param ports           other published ports: container port spec ("8080/tcp") → host port
 * @param sshKeys         public keys allowed in: the owner's account keys and the keys attached to the instance
 * @param containerApiKey the instance's own API key, set as {@code CONTAINER_API_KEY} inside it
 * @param publicIpaddr    the machine's public address, set as {@code PUBLIC_IPADDR}
 * @param logRequests     renters' pending {@code request_logs}: the agent uploads each once to
 *                        {@code PUT /api/v0/agent/logs/{token}/} (text/plain) and the server serves it at the result_url
 * @param preemptNotice   a bid losing its GPUs, still running for its notice window: why and until when (one line);
 *                        the agent writes it to {@link #NOTICE_FILE} inside the instance and removes it when the notice
 *                        is withdrawn. Null when there is none
 * @param imageLogin      the renter's {@code image_login} (Docker login flags for a private registry), or null
 * @param volumes         the machine's volumes this instance mounts, each at its mount path (docs/volumes.md)
 * @param recycleCount    increases on every recycle request; an instance whose count grew is destroyed on the host and
 *                        created again from a freshly pulled image (its GPUs and ports stay the contract's); 0 from a
 *                        server older than recycling
 * @param copies          instance-to-instance copies this instance takes part in, as source or destination
 *                        ({@link CopyTask}, docs/copy.md)
 */
public record DesiredInstance(
        long id,
        long revision,
        String intendedStatus,
        long rebootCount,
        String image,
        List<List<String>> env,
        String onstart,
        List<String> args,
        String argsStr,
        String runtype,
        double diskGb,
        int numGpus,
        int sshPort,
        Map<String, Integer> ports,
        List<String> sshKeys,
        String containerApiKey,
        String publicIpaddr,
        String label,
        List<LogRequest> logRequests,
        String preemptNotice,
        String imageLogin,
        List<DesiredVolume> volumes,
        long recycleCount,
        List<CopyTask> copies) {
    /** Where a preemption notice appears inside the instance. */
    public static final String NOTICE_FILE = "/root/.gpumarket/preempt_notice";

    public DesiredInstance {
        env = env == null ? List.of() : List.copyOf(env);
        args = args == null ? List.of() : List.copyOf(args);
        ports = ports == null ? Map.of() : Map.copyOf(ports);
        sshKeys = sshKeys == null ? List.of() : List.copyOf(sshKeys);
        logRequests = logRequests == null ? List.of() : List.copyOf(logRequests);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        copies = copies == null ? List.of() : List.copyOf(copies);
    }

    /** An instance in no copy. */
    public DesiredInstance(
            long id,
            long revision,
            String intendedStatus,
            long rebootCount,
            String image,
            List<List<String>> env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            double diskGb,
            int numGpus,
            int sshPort,
            Map<String, Integer> ports,
            List<String> sshKeys,
            String containerApiKey,
            String publicIpaddr,
            String label,
            List<LogRequest> logRequests,
            String preemptNotice,
            String imageLogin,
            List<DesiredVolume> volumes,
            long recycleCount) {
        this(
                id,
                revision,
                intendedStatus,
                rebootCount,
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                diskGb,
                numGpus,
                sshPort,
                ports,
                sshKeys,
                containerApiKey,
                publicIpaddr,
                label,
                logRequests,
                preemptNotice,
                imageLogin,
                volumes,
                recycleCount,
                List.of());
    }

    /** As sent by a server that does not recycle: the count stays 0. */
    public DesiredInstance(
            long id,
            long revision,
            String intendedStatus,
            long rebootCount,
            String image,
            List<List<String>> env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            double diskGb,
            int numGpus,
            int sshPort,
            Map<String, Integer> ports,
            List<String> sshKeys,
            String containerApiKey,
            String publicIpaddr,
            String label,
            List<LogRequest> logRequests,
            String preemptNotice,
            String imageLogin,
            List<DesiredVolume> volumes,
            List<CopyTask> copies) {
        this(
                id,
                revision,
                intendedStatus,
                rebootCount,
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                diskGb,
                numGpus,
                sshPort,
                ports,
                sshKeys,
                containerApiKey,
                publicIpaddr,
                label,
                logRequests,
                preemptNotice,
                imageLogin,
                volumes,
                0,
                copies);
    }

    /** Neither recycled nor in a copy. */
    public DesiredInstance(
            long id,
            long revision,
            String intendedStatus,
            long rebootCount,
            String image,
            List<List<String>> env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            double diskGb,
            int numGpus,
            int sshPort,
            Map<String, Integer> ports,
            List<String> sshKeys,
            String containerApiKey,
            String publicIpaddr,
            String label,
            List<LogRequest> logRequests,
            String preemptNotice,
            String imageLogin,
            List<DesiredVolume> volumes) {
        this(
                id,
                revision,
                intendedStatus,
                rebootCount,
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                diskGb,
                numGpus,
                sshPort,
                ports,
                sshKeys,
                containerApiKey,
                publicIpaddr,
                label,
                logRequests,
                preemptNotice,
                imageLogin,
                volumes,
                0,
                List.of());
    }

    /** An instance that mounts no volume. */
    public DesiredInstance(
            long id,
            long revision,
            String intendedStatus,
            long rebootCount,
            String image,
            List<List<String>> env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            double diskGb,
            int numGpus,
            int sshPort,
            Map<String, Integer> ports,
            List<String> sshKeys,
            String containerApiKey,
            String publicIpaddr,
            String label,
            List<LogRequest> logRequests,
            String preemptNotice,
            String imageLogin) {
        this(
                id,
                revision,
                intendedStatus,
                rebootCount,
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                diskGb,
                numGpus,
                sshPort,
                ports,
                sshKeys,
                containerApiKey,
                publicIpaddr,
                label,
                logRequests,
                preemptNotice,
                imageLogin,
                List.of(),
                0,
                List.of());
    }
}
