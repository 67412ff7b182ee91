package io.gpumarket.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.gpumarket.testkit.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime as a tenant boundary, tried as an attacker would with a real agent, real instances and the
 * stock ssh client: a renter's instance can neither take the machine's ports from the next renter, nor read what
 * the host keeps outside the instance (another agent's state, the server's database), nor reach the host's loopback
 * services, while its own traffic to the outside still flows. (That the traffic is counted from the instance's own
 * network namespace is checked at the launcher, in {@code IsolatedProcessLauncherTest}.)
 */
class TenantIsolationTest {
    @TempDir
    static Path dir;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    static LiveMarket market;
    /** Where an operator might keep things, in directories the old host view showed read-only. */
    static Path elsewhere;

    @BeforeAll
    static void start() throws Exception {
        market = new LiveMarket(server, dir);
        elsewhere = Files.createTempDirectory(Path.of("/var/tmp"), "gpumarket-isolation-test-");
    }

    @AfterAll
    static void stop() throws Exception {
        market.close();
        try (Stream<Path> all = Files.walk(elsewhere)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Test
    void a_squatter_listening_on_the_machines_ports_cannot_take_the_next_renters_ssh_door() throws Exception {
        long squatter = market.rent("true");
        int own = market.awaitRunning(squatter);
        // Every later port of the machine's range, from inside the squatter's instance.
        String listen = "import socket,time\nsocks=[]\nfor p in range(" + (own + 1) + ", " + (own + 20) + "):\n"
                + "  s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('0.0.0.0', p)); s.listen(); socks.append(s)\n"
                + "open('/root/listening','w').write(str(len(socks)))\ntime.sleep(600)\n";
        assertThat(market.exec(
                                own,
                                "cat > /root/squat.py <<'EOF'\n" + listen
                                        + "EOF\nnohup python3 /root/squat.py >/dev/null 2>&1 &")
                        .exitCode())
                .isZero();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> market.exec(own, "cat /root/listening 2>/dev/null")
                        .output()
                        .equals("19"));

        long victim = market.rent("true");
        int door = market.awaitRunning(victim);
        assertThat(door).isBetween(own + 1, own + 19);
        assertThat(market.instance(victim).path("status_msg").asText()).doesNotContain("could not be opened");
        assertThat(market.exec(door, "hostname").output().trim()).isEqualTo("C." + victim);
    }

    @Test
    void an_instance_cannot_read_another_agents_state_nor_the_servers_database() throws Exception {
        Path otherAgent = Files.createDirectories(elsewhere.resolve("agent-2/ssh"));
        Files.writeString(otherAgent.resolve("host_ed25519_key"), "other agent's private key");
        Path otherRenter = Files.createDirectories(elsewhere.resolve("agent-2/instances/7/root"));
        Files.writeString(otherRenter.resolve("notes.txt"), "another renter's file");
        Path database = Files.writeString(
                Files.createDirectories(elsewhere.resolve("server")).resolve("gpumarket.db"), "SQLite format 3");
        List<Path> secrets = new java.util.ArrayList<>(
                List.of(otherAgent.resolve("host_ed25519_key"), otherRenter.resolve("notes.txt"), database));
        try (Stream<Path> files = Files.list(market.server.home())) {
            files.filter(f -> f.getFileName().toString().startsWith("gpumarket.db"))
                    .forEach(secrets::add);
        }
        try (Stream<Path> files = Files.walk(market.agentState.resolve("ssh"))) {
            files.filter(Files::isRegularFile).forEach(secrets::add); // its own agent's host key too
        }

        long id = market.rent("true");
        int port = market.awaitRunning(id);
        for (Path secret : secrets) {
            var read = market.exec(port, "cat " + secret);
            assertThat(read.exitCode())
                    .as("cat %s from inside the instance", secret)
                    .isNotZero();
            assertThat(read.output()).doesNotContain("private key", "renter's file", "SQLite format");
        }
        assertThat(market.exec(port, "ls -d /home /srv /work /var/lib /var/tmp/* " + elsewhere + " 2>/dev/null | wc -l")
                        .output()
                        .trim())
                .as("none of the host's data directories is there")
                .isEqualTo("0");
    }

    @Test
    void an_instance_reaches_the_outside_but_not_the_servers_port_on_the_hosts_loopback() throws Exception {
        long id = market.rent("true");
        int port = market.awaitRunning(id);
        int serverPort = java.net.URI.create(market.server.url()).getPort();

        var loopback = market.exec(
                port,
                "for a in 127.0.0.1 10.0.2.2; do timeout 5 bash -c 'echo > /dev/tcp/'$a/" + serverPort
                        + " 2>/dev/null && echo \"reached $a\"; done; echo done");
        assertThat(loopback.output()).doesNotContain("reached").contains("done");

        Optional<InetAddress> outside = hostAddress();
        if (outside.isEmpty()) return; // a host with loopback only: nothing outside to reach
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"))) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = listener.accept()) {
                    s.getOutputStream().write("hello from outside\n".getBytes());
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the assertion below fails instead
                }
            });
            var reached = market.exec(
                    port,
                    "exec 3<>/dev/tcp/" + outside.get().getHostAddress() + "/" + listener.getLocalPort()
                            + "; head -n 1 <&3; head -c 200000 /dev/zero >&3");
            assertThat(reached.output()).contains("hello from outside");
        }
    }

    /** A non-loopback IPv4 address of this host: an instance reaches it as it reaches any address outside. */
    private static Optional<InetAddress> hostAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .filter(n -> {
                    try {
                        return n.isUp() && !n.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress())
                .findFirst();
    }
}
