package io.gpumarket.bench.replicas;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy (the Debian package) in front of the replicas, configured as docs/high-availability.md's worked set-up:
 * round robin, {@code /readyz} health checks, connection failures redispatched to another replica.
 */
final class Balancer implements AutoCloseable {
    private final Process process;
    private final int port;

    private Balancer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static Balancer start(Path dir, List<Integer> replicaPorts) throws IOException {
        String bin = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";
        int port = freePort();
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 4000
                defaults
                    mode http
                    timeout connect 2s
                    timeout client 90s
                    timeout server 90s
                    timeout check 3s
                    option redispatch
                    retries 3
                    retry-on conn-failure empty-response response-timeout 503
                frontend market
                """);
        cfg.append("    bind 127.0.0.1:").append(port).append('\n');
        cfg.append("""
                    default_backend replicas
                backend replicas
                    balance roundrobin
                    option httpchk GET /readyz
                    http-check expect status 200
                    default-server inter 1s fall 2 rise 1
                """);
        for (int k = 0; k < replicaPorts.size(); k++)
            cfg.append("    server r")
                    .append(k)
                    .append(" 127.0.0.1:")
                    .append(replicaPorts.get(k))
                    .append(" check\n");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        Process p = new ProcessBuilder(bin, "-db", "-f", file.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("haproxy.log").toFile())
                .start();
        Balancer b = new Balancer(p, port);
        Runtime.getRuntime().addShutdownHook(new Thread(b::close, "stop-haproxy"));
        return b;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        if (!process.isAlive()) return;
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
