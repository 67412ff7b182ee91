package io.gpumarket.agent.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gpumarket.agent.launcher.InstanceSpec;
import io.gpumarket.agent.launcher.Sessions;
import io.gpumarket.agent.launcher.Sessions.Result;
import io.gpumarket.agent.launcher.TestSpecs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The launcher's promises with the sandbox that is a tenant boundary (own user and network namespaces), plus what
 * only that one keeps: an unprivileged host uid, a network of its own with its traffic counted.
 */
class IsolatedProcessLauncherTest extends ProcessLauncherContract {
    @BeforeAll
    static void needsIsolation() {
        Isolation isolation = Isolation.probe();
        assumeTrue(
                isolation.complete(), "this host lacks " + isolation.missing() + " (apt-get install bubblewrap passt)");
    }

    @Override
    SandboxKind sandbox() {
        return SandboxKind.ISOLATED;
    }

    /** Root's own-namespace set: CAPABILITIES plus setuid, setgid, dac_override, dac_read_search, net_bind_service, net_raw. */
    @Override
    String capEff() {
        return "00000000200424ff";
    }

    @Test
    void root_inside_is_an_unprivileged_host_uid_that_owns_the_instances_files() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));

        Result r = Sessions.run(launcher, id, "id -u; cat /proc/self/uid_map; echo x > /workspace/mine");
        assertThat(r.out()).startsWith("0\n");
        long hostUid = Long.parseLong(
                r.out().lines().skip(1).findFirst().orElseThrow().strip().split("\\s+")[1]);
        assertThat(hostUid).isGreaterThanOrEqualTo(UidRange.BASE);
        Path mine = launcher.instanceDir(id).resolve("workspace/mine");
        assertThat(((Number) Files.getAttribute(mine, "unix:uid")).longValue()).isEqualTo(hostUid);
        long init = launcher.initPid(id).orElseThrow();
        assertThat(Files.readAllLines(Path.of("/proc", Long.toString(init), "status")).stream()
                        .filter(l -> l.startsWith("Uid:"))
                        .findFirst()
                        .orElseThrow())
                .contains(Long.toString(hostUid));
    }

    @Test
    void a_port_bound_inside_is_not_bound_on_the_host() throws Exception {
        long id = started(TestSpecs.ssh(newId(), null));
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }

        Process squatter = launcher.exec(
                id,
                List.of(
                        "python3",
                        "-c",
                        "import socket,time; s=socket.socket(); " + "s.bind(('0.0.0.0'," + port
                                + ")); s.listen(); print('bound', flush=True); time.sleep(60)"),
                Map.of(),
                false);
        try {
            assertThat(new BufferedReader(new InputStreamReader(squatter.getInputStream())).readLine())
                    .isEqualTo("bound");
            try (ServerSocket host = new ServerSocket()) {
                host.bind(new InetSocketAddress("0.0.0.0", port));
                assertThat(host.isBound()).isTrue();
            }
        } finally {
            squatter.destroyForcibly();
        }
    }

    @Test
    void outbound_traffic_leaves_through_pasta_and_is_counted_but_the_hosts_loopback_is_out_of_reach()
            throws Exception {
        Optional<InetAddress> hostAddress = hostAddress();
        assumeTrue(hostAddress.isPresent(), "the host has no non-loopback IPv4 address to connect to");
        long id = started(TestSpecs.ssh(newId(), null));
        try (ServerSocket outside = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"));
                ServerSocket loopbackOnly = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try (Socket s = outside.accept()) {
                    s.getInputStream().transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // the test fails on the sender's side
                }
            });
            Result sent = Sessions.run(
                    launcher,
                    id,
                    "head -c 300000 /dev/zero > /dev/tcp/" + hostAddress.get().getHostAddress() + "/"
                            + outside.getLocalPort() + " && echo sent");
            assertThat(sent.out()).contains("sent");
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(
                            () -> assertThat(launcher.inspect(id).txBytes()).isGreaterThanOrEqualTo(300_000));
            assertThat(launcher.inspect(id).rxBytes()).isPositive();

            Result loop = Sessions.run(
                    launcher,
                    id,
                    "for a in 127.0.0.1 " + IsolatedSandbox.GATEWAY + "; do timeout 5 bash -c \"echo x > /dev/tcp/$a/"
                            + loopbackOnly.getLocalPort() + "\" 2>/dev/null && echo \"reached $a\"; done; echo done");
            assertThat(loop.out()).doesNotContain("reached").contains("done");
        }
    }

    @Test
    void a_published_port_is_forwarded_by_pasta_and_one_held_by_another_process_is_reported_unpublished()
            throws Exception {
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        try (ServerSocket taken = new ServerSocket(0, 5, InetAddress.getByName("0.0.0.0"))) {
            Map<String, Integer> ports = Map.of("8080/tcp", free, "9090/tcp", taken.getLocalPort());
            long id = newId();
            started(new InstanceSpec(
                    id,
                    "img",
                    List.of(),
                    "cd /root && echo forwarded > index.html && nohup python3 -m http.server 8080 "
                            + ">/dev/null 2>&1 &",
                    List.of(),
                    null,
                    "ssh",
                    10,
                    0,
                    ports,
                    "k",
                    "127.0.0.1"));

            assertThat(launcher.unpublished(id, ports))
                    .containsExactly(taken.getLocalPort() + "→9090 (held by another process on the host)");
            var client = java.net.http.HttpClient.newHttpClient();
            var request = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + free + "/index.html"))
                    .build();
            await().atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> assertThat(client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                                            .body()
                                            .strip())
                                    .isEqualTo("forwarded"));
        }
    }

    /** A non-loopback IPv4 address of this host, which an instance reaches like any other address outside. */
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
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }
}
