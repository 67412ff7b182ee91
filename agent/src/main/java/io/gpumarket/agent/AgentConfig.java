package io.gpumarket.agent;

import io.gpumarket.api.host.MachineRegistration;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How one agent runs, validated at start.
 *
 * @param serverUrl    the control plane, e.g. http://127.0.0.1:8080
 * @param token        the machine token the host got when registering the machine
 * @param stateDir     instance files, host keys and pid files; survives agent restarts
 * @param gpus         declared GPUs for hosts without nvidia-smi, e.g. "2x RTX 4090"; null to detect
 * @param gpuRamMb     per-GPU VRAM of declared GPUs
 * @param publicIpaddr the address renters connect to (shown as public_ipaddr/ssh_host)
 * @param bindHost     where SSH listeners bind
 * @param portStart    the machine's direct port range (SSH listeners and published ports come from it)
 * @param geolocation  "City, CC"
 * @param stopGrace    how long a stopping instance gets between TERM and KILL
 * @param hardware     the whole machine description to report instead of a fingerprint (dev mode's demo
 *                     machines); null to fingerprint this host
 * @param runtime      how instances run: {@code process} (sandboxed processes) or {@code docker} (containers
 *                     through the Docker Engine API, Docker or Podman)
 * @param dockerHost   the engine's socket for {@code docker}, e.g. {@code unix:///run/docker.sock}
 * @param diskGb       the disk offered to instances, GB; null for the state directory's free space
 * @param allowWeakIsolation run the process runtime even where the host cannot isolate instances (no user or
 *                     network namespaces, no bubblewrap or pasta): without it the agent refuses to start there,
 *                     so the machine is never listed to strangers on a sandbox that is no tenant boundary
 * @param declared     network speed and CUDA version for hosts where the agent cannot measure them
 *                     ({@code --inet-up}, {@code --inet-down}, {@code --cuda}); measured values win
 */
public record AgentConfig(
        String serverUrl,
        String token,
        Path stateDir,
        String gpus,
        int gpuRamMb,
        String publicIpaddr,
        String bindHost,
        int portStart,
        int portEnd,
        String geolocation,
        Duration stopGrace,
        MachineRegistration hardware,
        String runtime,
        String dockerHost,
        Double diskGb,
        boolean allowWeakIsolation,
        Declared declared) {
    /**
     * What the operator declares where nothing can be measured; null fields are unknown.
     *
     * @param inetUpMbps   upload speed, Mbps (Vast's {@code inet_up})
     * @param inetDownMbps download speed, Mbps ({@code inet_down})
     * @param cuda         the highest CUDA version the driver supports ({@code cuda_max_good}), e.g. 12.8
     */
    public record Declared(Double inetUpMbps, Double inetDownMbps, Double cuda) {
        public static final Declared NONE = new Declared(null, null, null);

        public Declared {
            if (inetUpMbps != null && !(inetUpMbps > 0 && inetUpMbps <= 1e6)) {
                throw new IllegalArgumentException(
                        "--inet-up must be Mbps above 0 and at most 1000000, got " + inetUpMbps);
            }
            if (inetDownMbps != null && !(inetDownMbps > 0 && inetDownMbps <= 1e6)) {
                throw new IllegalArgumentException(
                        "--inet-down must be Mbps above 0 and at most 1000000, got " + inetDownMbps);
            }
            if (cuda != null && !(cuda >= 1 && cuda < 100)) {
                throw new IllegalArgumentException("--cuda must be a CUDA version like 12.8, got " + cuda);
            }
        }
    }

    public AgentConfig(
            String serverUrl,
            String token,
            Path stateDir,
            String gpus,
            int gpuRamMb,
            String publicIpaddr,
            String bindHost,
            int portStart,
            int portEnd,
            String geolocation,
            Duration stopGrace,
            MachineRegistration hardware,
            String runtime,
            String dockerHost,
            Double diskGb,
            boolean allowWeakIsolation) {
        this(
                serverUrl,
                token,
                stateDir,
                gpus,
                gpuRamMb,
                publicIpaddr,
                bindHost,
                portStart,
                portEnd,
                geolocation,
                stopGrace,
                hardware,
                runtime,
                dockerHost,
                diskGb,
                allowWeakIsolation,
                Declared.NONE);
    }

    /** The runtimes {@code --runtime} accepts. */
    public static final java.util.List<String> RUNTIMES = java.util.List.of("process", "docker");

    public static final String DEFAULT_DOCKER_HOST = "unix:///var/run/docker.sock";

    /** A process-launcher agent. */
    public AgentConfig(
            String serverUrl,
            String token,
            Path stateDir,
            String gpus,
            int gpuRamMb,
            String publicIpaddr,
            String bindHost,
            int portStart,
            int portEnd,
            String geolocation,
            Duration stopGrace,
            MachineRegistration hardware) {
        this(
                serverUrl,
                token,
                stateDir,
                gpus,
                gpuRamMb,
                publicIpaddr,
                bindHost,
                portStart,
                portEnd,
                geolocation,
                stopGrace,
                hardware,
                "process",
                null,
                null);
    }

    /** An agent on this runtime, offering the state directory's free space. */
    public AgentConfig(
            String serverUrl,
            String token,
            Path stateDir,
            String gpus,
            int gpuRamMb,
            String publicIpaddr,
            String bindHost,
            int portStart,
            int portEnd,
            String geolocation,
            Duration stopGrace,
            MachineRegistration hardware,
            String runtime,
            String dockerHost) {
        this(
                serverUrl,
                token,
                stateDir,
                gpus,
                gpuRamMb,
                publicIpaddr,
                bindHost,
                portStart,
                portEnd,
                geolocation,
                stopGrace,
                hardware,
                runtime,
                dockerHost,
                null);
    }

    /** An agent that refuses weak isolation. */
    public AgentConfig(
            String serverUrl,
            String token,
            Path stateDir,
            String gpus,
            int gpuRamMb,
            String publicIpaddr,
            String bindHost,
            int portStart,
            int portEnd,
            String geolocation,
            Duration stopGrace,
            MachineRegistration hardware,
            String runtime,
            String dockerHost,
            Double diskGb) {
        this(
                serverUrl,
                token,
                stateDir,
                gpus,
                gpuRamMb,
                publicIpaddr,
                bindHost,
                portStart,
                portEnd,
                geolocation,
                stopGrace,
                hardware,
                runtime,
                dockerHost,
                diskGb,
                false);
    }

    public AgentConfig {
        if (runtime == null) runtime = "process";
        if (!RUNTIMES.contains(runtime))
            throw new IllegalArgumentException("--runtime must be one of " + RUNTIMES + ", got " + runtime);
        if (dockerHost == null) dockerHost = DEFAULT_DOCKER_HOST;
        if (!dockerHost.startsWith("unix:///")) {
            throw new IllegalArgumentException(
                    "--docker-host must be a Unix socket like unix:///run/podman/podman.sock, got " + dockerHost);
        }
        if (serverUrl == null || !serverUrl.matches("^https?://.+")) {
            throw new IllegalArgumentException("--server must be an http(s) URL, got " + serverUrl);
        }
        if (token == null || token.isBlank())
            throw new IllegalArgumentException("--token (the machine token) is required");
        if (stateDir == null) throw new IllegalArgumentException("a state directory is required");
        if (portStart < 1 || portEnd < portStart || portEnd > 65535) {
            throw new IllegalArgumentException(
                    "--ports must be a range like 40000-40099, got " + portStart + "-" + portEnd);
        }
        if (geolocation == null || !geolocation.matches(".*\\b[A-Z]{2}$")) {
            throw new IllegalArgumentException(
                    "--location must end with a two-letter country code, e.g. \"Oslo, NO\"; got " + geolocation);
        }
        if (diskGb != null && !(diskGb >= 1 && diskGb <= 1e7)) {
            throw new IllegalArgumentException("--disk must be a number of GB from 1, got " + diskGb);
        }
        if (stopGrace == null) stopGrace = Duration.ofSeconds(5);
        if (publicIpaddr == null) publicIpaddr = "127.0.0.1";
        if (bindHost == null) bindHost = "0.0.0.0";
        if (declared == null) declared = Declared.NONE;
    }
}
