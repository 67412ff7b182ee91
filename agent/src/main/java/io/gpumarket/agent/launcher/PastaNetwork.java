package io.gpumarket.agent.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The network an instance's sandbox gets when it is not the host's (docs/security.md): a namespace of its own that
 * pasta (Debian package passt) connects, with its own address behind a gateway, a DNS relay, and {@code --no-map-gw}
 * so the gateway is not the host's loopback. One definition for the process launcher's running instances
 * ({@code process/IsolatedSandbox}) and a stopped container's files sessions ({@code docker/ContainerFiles}), so the
 * two cannot drift apart.
 */
public final class PastaNetwork {
    public static final String ADDRESS = "10.0.2.100";
    public static final String GATEWAY = "10.0.2.2";
    public static final String DNS = "10.0.2.3";

    private PastaNetwork() {}

    /**
     * pasta's options for such a namespace, after the program's path: in the foreground, as root of the user namespace,
     * quiet; nothing forwarded from the host into the namespace by port ({@code -T}/{@code -U} none, the namespace's
     * own side; the caller adds what it publishes inwards, {@code -t}/{@code -u}).
     */
    public static List<String> args() {
        return List.of(
                "-f",
                "--runas",
                "0",
                "--quiet",
                "--config-net",
                "--no-map-gw",
                "-a",
                ADDRESS,
                "-n",
                "24",
                "-g",
                GATEWAY,
                "--dns-forward",
                DNS,
                "-T",
                "none",
                "-U",
                "none");
    }

    /**
     * The namespace's resolver configuration: pasta's DNS relay as the only name server (the host's own may be a
     * loopback stub the namespace cannot reach), with the host's search domains and options.
     */
    public static String resolvConf() {
        StringBuilder b = new StringBuilder(
                "# gpumarket: pasta relays DNS on " + DNS + " to the host's resolver\nnameserver " + DNS + "\n");
        try {
            for (String line : Files.readAllLines(Path.of("/etc/resolv.conf"))) {
                String l = line.strip();
                if (l.startsWith("search ") || l.startsWith("domain ") || l.startsWith("options "))
                    b.append(l).append('\n');
            }
        } catch (IOException e) {
            // no resolver configured on the host: the relay alone
        }
        return b.toString();
    }
}
