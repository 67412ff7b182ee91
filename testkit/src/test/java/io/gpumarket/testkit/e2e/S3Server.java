package io.gpumarket.testkit.e2e;

import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.AgentProcess;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A real S3 server for the cloud copy tests: s3proxy (org.gaul:s3proxy, its self-contained jar copied to
 * {@code target/s3proxy/} by the build) in a process of its own, over jclouds' filesystem blob store, so each object
 * is a plain file under {@link #objects()}. It listens on every address: an instance reaches it from its own network
 * at the host's outward address ({@link #endpoint()}), as it would reach a storage provider on the internet.
 */
final class S3Server implements AutoCloseable {
    static final String KEY_ID = "gpumarket-test-key";
    static final String SECRET = "gpumarket-test-secret-0123456789";

    private final Process process;
    private final Path objects;
    private final int port;
    private final String host;

    private S3Server(Process process, Path objects, int port, String host) {
        this.process = process;
        this.objects = objects;
        this.port = port;
        this.host = host;
    }

    /** The jar, or empty when the build has not copied it (a test run outside Maven). */
    static Optional<Path> jar() {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
    }

    /** The host's first outward IPv4 address, which an instance's own network can reach; empty when it has none. */
    static Optional<String> outwardAddress() throws SocketException {
        for (NetworkInterface n : java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) continue;
            for (InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                    return Optional.of(a.getHostAddress());
            }
        }
        return Optional.empty();
    }

    static S3Server start(Path dir, Path jar, String host) throws IOException {
        Path objects = Files.createDirectories(dir.resolve("s3-objects"));
        int port = AgentProcess.freePortBlock(1);
        Path conf = Files.writeString(
                dir.resolve("s3proxy.properties"),
                String.join(
                        "\n",
                        List.of(
                                "s3proxy.endpoint=http://0.0.0.0:" + port,
                                "s3proxy.authorization=aws-v2-or-v4",
                                "s3proxy.identity=" + KEY_ID,
                                "s3proxy.credential=" + SECRET,
                                "jclouds.provider=filesystem",
                                "jclouds.filesystem.basedir=" + objects,
                                "")));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-jar", jar.toString(), "--properties", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("s3proxy.log").toFile())
                .start();
        S3Server s = new S3Server(p, objects, port, host);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!p.isAlive())
                throw new IllegalStateException("s3proxy exited: " + Files.readString(dir.resolve("s3proxy.log")));
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        return s;
    }

    /** The URL an instance uses. */
    String endpoint() {
        return "http://" + host + ":" + port;
    }

    /** Where bucket {@code b}'s object {@code k} lies as a file. */
    Path object(String bucket, String key) {
        return objects.resolve(bucket).resolve(key);
    }

    Path objects() {
        return objects;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
