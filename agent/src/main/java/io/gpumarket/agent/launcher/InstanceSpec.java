package io.gpumarket.agent.launcher;

import java.util.List;
import java.util.Map;

/**
 * What a launcher needs to start one instance (derived from the server's {@code DesiredInstance}).
 *
 * @param env     [key, value] pairs as the renter sent them; Docker flags ({@code -p …}, {@code -h …}) are
 *                among them and are not environment variables
 * @param runtype ssh | jupyter | args
 * @param ports   published container ports ("8080/tcp") → host port; {@code VAST_TCP_PORT_<n>} is set from it
 * @param numGpus GPUs of the contract (a container gets exactly these, and CPU and RAM in proportion)
 * @param imageLogin the renter's {@code image_login} (Docker login flags for a private registry), or null
 * @param volumes the machine's volumes the instance mounts (docs/volumes.md)
 */
public record InstanceSpec(
        long id,
        String image,
        List<List<String>> env,
        String onstart,
        List<String> args,
        String argsStr,
        String runtype,
        double diskGb,
        int sshPort,
        Map<String, Integer> ports,
        String containerApiKey,
        String publicIpaddr,
        int numGpus,
        String imageLogin,
        List<VolumeMount> volumes) {
    public InstanceSpec {
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
        env = env == null ? List.of() : List.copyOf(env);
        args = args == null ? List.of() : List.copyOf(args);
        ports = ports == null ? Map.of() : Map.copyOf(ports);
    }

    /** An instance that mounts no volume. */
    public InstanceSpec(
            long id,
            String image,
            List<List<String>> env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            double diskGb,
            int sshPort,
            Map<String, Integer> ports,
            String containerApiKey,
            String publicIpaddr,
            int numGpus,
            String imageLogin) {
        this(
                id,
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                diskGb,
                sshPort,
                ports,
                containerApiKey,
                publicIpaddr,
                numGpus,
                imageLogin,
                List.of());
    }

    /** An instance of a public image. */
    public InstanceSpec(
            long id,
            String image,
            List<List<String>> env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            double diskGb,
            int sshPort,
            Map<String, Integer> ports,
            String containerApiKey,
            String publicIpaddr,
            int numGpus) {
        this(
                id,
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                diskGb,
                sshPort,
                ports,
                containerApiKey,
                publicIpaddr,
                numGpus,
                null);
    }

    /** An instance of one GPU. */
    public InstanceSpec(
            long id,
            String image,
            List<List<String>> env,
            String onstart,
            List<String> args,
            String argsStr,
            String runtype,
            double diskGb,
            int sshPort,
            Map<String, Integer> ports,
            String containerApiKey,
            String publicIpaddr) {
        this(
                id,
                image,
                env,
                onstart,
                args,
                argsStr,
                runtype,
                diskGb,
                sshPort,
                ports,
                containerApiKey,
                publicIpaddr,
                1,
                null);
    }
}
